/* SPDX-License-Identifier: GPL-2.0 */
/*
 * teach-bench's bookkeeping: the result lines the runs print, collecting
 * them per test and family, medians and spreads, the teach/inet ratio, and
 * the table and JSON the report writes.  Header-only and free of sockets so
 * that tests/bench_test.c can check it on the host.
 *
 * A run prints one line:
 *
 *   RESULT test=rr family=inet unit=trans/s value=1234.5 cpu_us=80.1 sirq=0.41
 *   RESULT test=rr family=teach unit=trans/s value=na reason=no stream transport
 *
 * key=value words in any order; reason= comes last and takes the rest of
 * the line.  base=TEST names the small counterpart of a scale run.  Lines
 * "META key=value ..." describe the whole set (kernel, runs, seconds).
 */
#ifndef _TEACH_TOOLS_BENCH_H
#define _TEACH_TOOLS_BENCH_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define BENCH_NAMELEN	48
#define BENCH_MAXRUNS	64
#define BENCH_MAXROWS	64
#define BENCH_MAXMETA	16

enum { BENCH_INET, BENCH_TEACH, BENCH_NFAM };

static const char *const bench_fam_names[BENCH_NFAM] = { "inet", "teach" };

static inline int bench_fam_parse(const char *s)
{
	int i;

	for (i = 0; i < BENCH_NFAM; i++)
		if (!strcmp(s, bench_fam_names[i]))
			return i;
	return -1;
}

struct bench_result {
	char test[BENCH_NAMELEN];
	char base[BENCH_NAMELEN];	/* "" when not a scale run */
	char unit[16];
	int family;			/* BENCH_INET, BENCH_TEACH */
	int na;				/* value is "na": reason says why */
	char reason[64];
	double value;
	int has_cpu;
	double cpu_us;			/* busy CPU (whole VM) per operation */
	double sirq;			/* share of that busy time in softirq */
};

static inline void bench_copy(char *dst, size_t size, const char *src,
			      size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static inline int bench_number(const char *s, size_t len, double *out)
{
	char buf[32], *end;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtod(buf, &end);
	return *end || !isfinite(*out) ? -1 : 0;
}

/*
 * Parse one line.  Returns 1 for a RESULT line (filled into r), 0 for any
 * other line (the runs' chatter), -1 for a RESULT line that is malformed:
 * no test, an unknown family, no value, a value that is not a number.
 */
static inline int bench_parse(const char *line, struct bench_result *r)
{
	const char *p = line, *key, *eq, *end;
	size_t klen, vlen;
	int have_value = 0, have_cpu = 0, have_sirq = 0;

	if (strncmp(p, "RESULT ", 7))
		return 0;
	memset(r, 0, sizeof(*r));
	r->family = -1;
	p += 7;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		key = p;
		eq = strchr(p, '=');
		if (!eq)
			return -1;
		klen = (size_t)(eq - key);
		if (klen == 6 && !strncmp(key, "reason", 6)) {
			/* the rest of the line, without its newline */
			vlen = strcspn(eq + 1, "\n");
			bench_copy(r->reason, sizeof(r->reason), eq + 1, vlen);
			break;
		}
		end = eq + 1 + strcspn(eq + 1, " \n");
		vlen = (size_t)(end - eq - 1);
		if (klen == 4 && !strncmp(key, "test", 4)) {
			bench_copy(r->test, sizeof(r->test), eq + 1, vlen);
		} else if (klen == 4 && !strncmp(key, "base", 4)) {
			bench_copy(r->base, sizeof(r->base), eq + 1, vlen);
		} else if (klen == 4 && !strncmp(key, "unit", 4)) {
			bench_copy(r->unit, sizeof(r->unit), eq + 1, vlen);
		} else if (klen == 6 && !strncmp(key, "family", 6)) {
			char fam[8];

			bench_copy(fam, sizeof(fam), eq + 1, vlen);
			r->family = bench_fam_parse(fam);
		} else if (klen == 5 && !strncmp(key, "value", 5)) {
			if (vlen == 2 && !strncmp(eq + 1, "na", 2))
				r->na = 1;
			else if (bench_number(eq + 1, vlen, &r->value))
				return -1;
			have_value = 1;
		} else if (klen == 6 && !strncmp(key, "cpu_us", 6)) {
			if (bench_number(eq + 1, vlen, &r->cpu_us))
				return -1;
			have_cpu = 1;
		} else if (klen == 4 && !strncmp(key, "sirq", 4)) {
			if (bench_number(eq + 1, vlen, &r->sirq))
				return -1;
			have_sirq = 1;
		}
		/* other keys (ops=, secs=, ...) are for people reading the log */
		p = end;
	}
	if (!r->test[0] || r->family < 0 || !have_value)
		return -1;
	r->has_cpu = have_cpu && have_sirq && !r->na;
	return 1;
}

/* The median of v[0..n-1] (n > 0); v is sorted in place. */
static inline int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static inline double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct bench_fam {
	int n;				/* runs with a value */
	double v[BENCH_MAXRUNS];
	int ncpu;
	double cpu[BENCH_MAXRUNS], sirq[BENCH_MAXRUNS];
	int na;				/* runs that said "na" */
	char reason[64];
};

struct bench_stats {
	int ok;				/* at least one value */
	double median, min, max;
	int has_cpu;
	double cpu_us, sirq;		/* medians */
};

struct bench_row {
	char test[BENCH_NAMELEN];
	char base[BENCH_NAMELEN];
	char unit[16];
	struct bench_fam fam[BENCH_NFAM];
};

struct bench_table {
	int nrows;
	struct bench_row rows[BENCH_MAXROWS];
	int nmeta;
	char meta[BENCH_MAXMETA][2][BENCH_NAMELEN];
	int bad;			/* malformed or overflowing lines */
};

static inline struct bench_row *bench_find(struct bench_table *t,
					   const char *test)
{
	int i;

	for (i = 0; i < t->nrows; i++)
		if (!strcmp(t->rows[i].test, test))
			return &t->rows[i];
	return NULL;
}

/* Add one result; rows keep the order in which tests first appear. */
static inline int bench_add(struct bench_table *t, const struct bench_result *r)
{
	struct bench_row *row = bench_find(t, r->test);
	struct bench_fam *f;

	if (!row) {
		if (t->nrows == BENCH_MAXROWS)
			return -1;
		row = &t->rows[t->nrows++];
		memset(row, 0, sizeof(*row));
		snprintf(row->test, sizeof(row->test), "%s", r->test);
	}
	if (!row->base[0] && r->base[0])
		snprintf(row->base, sizeof(row->base), "%s", r->base);
	if (!row->unit[0] && r->unit[0])
		snprintf(row->unit, sizeof(row->unit), "%s", r->unit);
	f = &row->fam[r->family];
	if (r->na) {
		f->na++;
		if (!f->reason[0])
			snprintf(f->reason, sizeof(f->reason), "%s", r->reason);
		return 0;
	}
	if (f->n == BENCH_MAXRUNS)
		return -1;
	f->v[f->n++] = r->value;
	if (r->has_cpu) {
		f->cpu[f->ncpu] = r->cpu_us;
		f->sirq[f->ncpu++] = r->sirq;
	}
	return 0;
}

/* "META key=value key=value" */
static inline void bench_add_meta(struct bench_table *t, const char *line)
{
	const char *p = line + 5, *eq, *end;

	while (*p && t->nmeta < BENCH_MAXMETA) {
		while (*p == ' ')
			p++;
		eq = strchr(p, '=');
		if (!eq)
			break;
		end = eq + 1 + strcspn(eq + 1, " \n");
		bench_copy(t->meta[t->nmeta][0], BENCH_NAMELEN, p,
			   (size_t)(eq - p));
		bench_copy(t->meta[t->nmeta][1], BENCH_NAMELEN, eq + 1,
			   (size_t)(end - eq - 1));
		t->nmeta++;
		p = end;
	}
}

/* Feed one line of a run's output. */
static inline void bench_feed(struct bench_table *t, const char *line)
{
	struct bench_result r;
	int rc;

	if (!strncmp(line, "META ", 5)) {
		bench_add_meta(t, line);
		return;
	}
	rc = bench_parse(line, &r);
	if (rc < 0 || (rc > 0 && bench_add(t, &r)))
		t->bad++;
}

static inline struct bench_stats bench_stats(const struct bench_fam *f)
{
	struct bench_stats s = { 0 };
	double v[BENCH_MAXRUNS];
	int i;

	if (!f->n)
		return s;
	memcpy(v, f->v, sizeof(double) * (size_t)f->n);
	s.ok = 1;
	s.median = bench_median(v, f->n);
	s.min = v[0];
	s.max = v[f->n - 1];
	if (f->ncpu) {
		s.has_cpu = 1;
		memcpy(v, f->cpu, sizeof(double) * (size_t)f->ncpu);
		s.cpu_us = bench_median(v, f->ncpu);
		for (i = 0; i < f->ncpu; i++)
			v[i] = f->sirq[i];
		s.sirq = bench_median(v, f->ncpu);
	}
	return s;
}

/*
 * teach/inet of the medians; 0 when there is none: n/a, inet is 0, or the
 * unit is a percentage (a loss), whose ratio says nothing.
 */
static inline int bench_ratio(const struct bench_row *row, double *ratio)
{
	struct bench_stats in = bench_stats(&row->fam[BENCH_INET]);
	struct bench_stats te = bench_stats(&row->fam[BENCH_TEACH]);

	if (!in.ok || !te.ok || in.median == 0 || !strcmp(row->unit, "%"))
		return 0;
	*ratio = te.median / in.median;
	return 1;
}

/* A scale run against its base, per family: median / base median - 1. */
static inline int bench_vs_base(const struct bench_table *t,
				const struct bench_row *row, int fam,
				double *change)
{
	const struct bench_row *base;
	struct bench_stats s, b;

	if (!row->base[0])
		return 0;
	base = bench_find((struct bench_table *)t, row->base);
	if (!base)
		return 0;
	s = bench_stats(&row->fam[fam]);
	b = bench_stats(&base->fam[fam]);
	if (!s.ok || !b.ok || b.median == 0)
		return 0;
	*change = s.median / b.median - 1;
	return 1;
}

/* Three significant digits or so, without exponents: 12345, 123, 12.3, 1.23 */
static inline char *bench_fmt(double v, char *buf, size_t len)
{
	double a = fabs(v);

	snprintf(buf, len, a >= 100 || a == 0 ? "%.0f" : a >= 10 ? "%.1f" :
		 a >= 1 ? "%.2f" : "%.3f", v);
	return buf;
}

/* A family's cell: "median", or "n/a (reason)" when it has no value. */
static inline char *bench_cell(const struct bench_fam *f, char *buf,
			       size_t len)
{
	struct bench_stats s = bench_stats(f);

	if (s.ok)
		return bench_fmt(s.median, buf, len);
	if (f->na)
		snprintf(buf, len, "n/a (%s)", f->reason[0] ? f->reason : "?");
	else
		snprintf(buf, len, "-");
	return buf;
}

static inline char *bench_spread(const struct bench_fam *f, char *buf,
				 size_t len)
{
	struct bench_stats s = bench_stats(f);
	char a[24], b[24];

	if (!s.ok)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s-%s", bench_fmt(s.min, a, sizeof(a)),
			 bench_fmt(s.max, b, sizeof(b)));
	return buf;
}

static inline char *bench_pct(double change, char *buf, size_t len)
{
	snprintf(buf, len, "%+.1f%%", change * 100);
	return buf;
}

static inline void bench_print(FILE *out, const struct bench_table *t)
{
	char in[64], te[64], ra[16], sin[48], ste[48], c1[24], c2[24];
	const struct bench_row *row;
	struct bench_stats si, st;
	double x;
	int i;

	for (i = 0; i < t->nmeta; i++)
		fprintf(out, "%s%s=%s%s", i ? " " : "# ", t->meta[i][0],
			t->meta[i][1], i == t->nmeta - 1 ? "\n" : "");
	fprintf(out, "%-32s %-8s %10s %10s %10s %17s %17s\n", "test", "unit",
		"inet", "teach", "teach/inet", "inet min-max", "teach min-max");
	for (i = 0; i < t->nrows; i++) {
		row = &t->rows[i];
		bench_cell(&row->fam[BENCH_INET], in, sizeof(in));
		bench_cell(&row->fam[BENCH_TEACH], te, sizeof(te));
		if (bench_ratio(row, &x))
			snprintf(ra, sizeof(ra), "%.2f", x);
		else
			snprintf(ra, sizeof(ra), "-");
		bench_spread(&row->fam[BENCH_INET], sin, sizeof(sin));
		bench_spread(&row->fam[BENCH_TEACH], ste, sizeof(ste));
		/* an n/a cell is wide: it takes the rest of the line */
		if (!bench_stats(&row->fam[BENCH_TEACH]).ok)
			fprintf(out, "%-32s %-8s %10s   %s\n", row->test,
				row->unit, in, te);
		else
			fprintf(out, "%-32s %-8s %10s %10s %10s %17s %17s\n",
				row->test, row->unit, in, te, ra, sin, ste);
	}

	fprintf(out, "\nscale runs against their small counterpart (median change):\n");
	for (i = 0; i < t->nrows; i++) {
		row = &t->rows[i];
		if (!row->base[0])
			continue;
		fprintf(out, "  %-30s vs %-16s inet %7s  teach %7s\n", row->test,
			row->base,
			bench_vs_base(t, row, BENCH_INET, &x) ? bench_pct(x, c1, sizeof(c1)) : "-",
			bench_vs_base(t, row, BENCH_TEACH, &x) ? bench_pct(x, c2, sizeof(c2)) : "-");
	}

	fprintf(out, "\nbusy CPU (whole VM) per operation, median, and its softirq share:\n");
	fprintf(out, "%-32s %11s %11s %6s %9s %10s\n", "test", "inet us/op",
		"teach us/op", "ratio", "inet sirq", "teach sirq");
	for (i = 0; i < t->nrows; i++) {
		row = &t->rows[i];
		si = bench_stats(&row->fam[BENCH_INET]);
		st = bench_stats(&row->fam[BENCH_TEACH]);
		if (!si.has_cpu && !st.has_cpu)
			continue;
		fprintf(out, "%-32s %11s %11s", row->test,
			si.has_cpu ? bench_fmt(si.cpu_us, in, sizeof(in)) : "-",
			st.has_cpu ? bench_fmt(st.cpu_us, te, sizeof(te)) : "-");
		if (si.has_cpu && st.has_cpu && si.cpu_us > 0)
			fprintf(out, " %6.2f", st.cpu_us / si.cpu_us);
		else
			fprintf(out, " %6s", "-");
		fprintf(out, " %8.0f%% %9.0f%%\n", si.has_cpu ? si.sirq * 100 : 0,
			st.has_cpu ? st.sirq * 100 : 0);
	}
	if (t->bad)
		fprintf(out, "\n%d malformed result lines ignored\n", t->bad);
}

/* Numbers in JSON: integers as such, the rest with six significant digits. */
static inline void bench_json_num(struct json *j, const char *key, double v)
{
	json_key(j, key);
	if (fabs(v) < 1e15 && v == (double)(long long)v)
		fprintf(j->f, "%.0f", v);
	else
		fprintf(j->f, "%.6g", v);
}

static inline void bench_json_fam(struct json *j, const struct bench_fam *f,
				  const char *name)
{
	struct bench_stats s = bench_stats(f);
	int i;

	json_start_object(j, name);
	if (s.ok) {
		bench_json_num(j, "median", s.median);
		bench_json_num(j, "min", s.min);
		bench_json_num(j, "max", s.max);
		json_start_array(j, "runs");
		for (i = 0; i < f->n; i++)
			bench_json_num(j, NULL, f->v[i]);
		json_end_array(j);
		if (s.has_cpu) {
			bench_json_num(j, "cpu_us_per_op", s.cpu_us);
			bench_json_num(j, "softirq_share", s.sirq);
		}
	} else if (f->na) {
		json_string(j, "na", f->reason);
	}
	json_end_object(j);
}

static inline void bench_json(FILE *out, const struct bench_table *t)
{
	const struct bench_row *row;
	struct json j;
	double x;
	int i, fam;

	json_init(&j, out, 1);
	json_start_object(&j, NULL);
	json_start_object(&j, "meta");
	for (i = 0; i < t->nmeta; i++)
		json_string(&j, t->meta[i][0], t->meta[i][1]);
	json_end_object(&j);
	json_start_array(&j, "tests");
	for (i = 0; i < t->nrows; i++) {
		row = &t->rows[i];
		json_start_object(&j, NULL);
		json_string(&j, "test", row->test);
		json_string(&j, "unit", row->unit);
		if (row->base[0])
			json_string(&j, "base", row->base);
		for (fam = 0; fam < BENCH_NFAM; fam++)
			bench_json_fam(&j, &row->fam[fam], bench_fam_names[fam]);
		if (bench_ratio(row, &x))
			bench_json_num(&j, "ratio", x);
		for (fam = 0; fam < BENCH_NFAM; fam++) {
			char key[32];

			snprintf(key, sizeof(key), "%s_vs_base",
				 bench_fam_names[fam]);
			if (bench_vs_base(t, row, fam, &x))
				bench_json_num(&j, key, x);
		}
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
}

#endif /* _TEACH_TOOLS_BENCH_H */
