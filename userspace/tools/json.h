/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer for the tools' -j output.
 *
 * Values are written as they come: start an object or array, add members
 * (a key inside an object, NULL inside an array or at the top), close it.
 * With pretty set, every member goes on its own line, indented by two
 * spaces a level.  Header-only so that tests can include it.
 */
#ifndef _TEACH_TOOLS_JSON_H
#define _TEACH_TOOLS_JSON_H

#include <inttypes.h>
#include <stdio.h>

struct json {
	FILE *f;
	int pretty;
	int depth;
	int first;		/* nothing written yet in the open container */
};

static inline void json_init(struct json *j, FILE *f, int pretty)
{
	j->f = f;
	j->pretty = pretty;
	j->depth = 0;
	j->first = 1;
}

/* s as a JSON string: quotes, backslash and control characters escaped. */
static inline void json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			/* Bytes >= 0x80 pass: names are UTF-8 if anything. */
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				putc(*p, f);
		}
	}
	putc('"', f);
}

static inline void json_newline(struct json *j)
{
	int i;

	if (!j->pretty)
		return;
	putc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Separator and key before a value. */
static inline void json_key(struct json *j, const char *key)
{
	if (!j->first)
		putc(',', j->f);
	if (j->depth)
		json_newline(j);
	j->first = 0;
	if (key) {
		json_escape(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static inline void json_open(struct json *j, const char *key, char c)
{
	json_key(j, key);
	putc(c, j->f);
	j->depth++;
	j->first = 1;
}

static inline void json_close(struct json *j, char c)
{
	j->depth--;
	/* An empty container stays on one line: {} or []. */
	if (!j->first)
		json_newline(j);
	putc(c, j->f);
	j->first = 0;
	/* A finished top-level value ends its line. */
	if (!j->depth)
		putc('\n', j->f);
}

static inline void json_start_object(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

static inline void json_end_object(struct json *j)
{
	json_close(j, '}');
}

static inline void json_start_array(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

static inline void json_end_array(struct json *j)
{
	json_close(j, ']');
}

static inline void json_string(struct json *j, const char *key,
			       const char *val)
{
	json_key(j, key);
	json_escape(j->f, val);
}

static inline void json_uint(struct json *j, const char *key, uint64_t val)
{
	json_key(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

static inline void json_int(struct json *j, const char *key, int64_t val)
{
	json_key(j, key);
	fprintf(j->f, "%" PRId64, val);
}

static inline void json_bool(struct json *j, const char *key, int val)
{
	json_key(j, key);
	fputs(val ? "true" : "false", j->f);
}

#endif /* _TEACH_TOOLS_JSON_H */
