// SPDX-License-Identifier: GPL-2.0
/*
 * teach-trace: record the stream tracepoints of a connection and draw
 * the pictures TCP is taught with (Documentation/trace.rst).
 *
 *   teach-trace record [-p PORT] [-o FILE] [-b KB] -- COMMAND [ARG...]
 *       enable teach:teach_stream_* (only events whose local or remote
 *       port is PORT), run COMMAND, and save the trace in FILE
 *       (teach-trace.txt); the exit status is COMMAND's
 *   teach-trace plot [-c LADDR:LPORT] [-o PREFIX] FILE
 *       the sender's view of one connection (by default the one that sent
 *       the most payload): PREFIX-tseq.{png,svg}, a time-sequence graph
 *       (segments sent, retransmissions, ACKs received and the window's
 *       right edge), PREFIX-cwnd.{png,svg}, cwnd, ssthresh and the bytes
 *       in flight, and PREFIX-rtt.{png,svg}, the RTT samples, SRTT and
 *       RTO; drawn by gnuplot, with the data beside them (PREFIX-*.dat)
 *   teach-trace summary [-c LADDR:LPORT] FILE
 *       the events of each connection, counted
 *
 * Exit status: 0 done, 1 usage, 2 the system refused (tracefs, gnuplot).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRACEFS		"/sys/kernel/tracing"

static const char *const events[] = {
	"teach_stream_state", "teach_stream_retransmit", "teach_stream_cwnd",
	"teach_stream_rtt", "teach_stream_window", "teach_stream_send",
	"teach_stream_ack",
};
#define NEVENTS		(sizeof(events) / sizeof(events[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: teach-trace record [-p PORT] [-o FILE] [-b KB] -- COMMAND [ARG...]\n"
		"       teach-trace plot [-c LADDR:LPORT] [-o PREFIX] FILE\n"
		"       teach-trace summary [-c LADDR:LPORT] FILE\n");
}

static void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "teach-trace: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(status);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void tfs(const char *file, const char *text)
{
	char path[256];

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	if (write_file(path, text))
		die(2, "%s: %s", path, strerror(errno));
}

static void set_events(const char *value)
{
	char file[128];
	size_t i;

	for (i = 0; i < NEVENTS; i++) {
		snprintf(file, sizeof(file), "events/teach/%s/enable", events[i]);
		tfs(file, value);
	}
}

static void mount_tracefs(void)
{
	if (mount("nodev", TRACEFS, "tracefs", 0, NULL) && errno != EBUSY)
		die(2, "mount tracefs on " TRACEFS ": %s", strerror(errno));
}

static int cmd_record(int argc, char **argv)
{
	const char *out = "teach-trace.txt", *kb = "4096";
	char filter[128], buf[65536];
	int port = -1, opt, status, in, fd;
	unsigned long overrun = 0;
	struct stat st;
	ssize_t n;
	pid_t pid;
	FILE *f;
	int cpu;

	while ((opt = getopt(argc, argv, "+p:o:b:h")) != -1) {
		switch (opt) {
		case 'p':
			port = atoi(optarg);
			if (port <= 0 || port > 65535)
				die(1, "bad port %s", optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case 'b':
			kb = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	if (stat(TRACEFS "/events", &st))
		mount_tracefs();
	if (stat(TRACEFS "/events/teach", &st))
		die(2, "no teach events in " TRACEFS " (is teach.ko loaded, event tracing built?)");

	set_events("0");
	tfs("buffer_size_kb", kb);
	if (port > 0)
		snprintf(filter, sizeof(filter), "sport == %d || dport == %d", port, port);
	else
		snprintf(filter, sizeof(filter), "0");
	/* "0" clears a filter */
	tfs("events/teach/filter", filter);
	tfs("trace", "");
	set_events("1");

	pid = fork();
	if (pid < 0)
		die(2, "fork: %s", strerror(errno));
	if (!pid) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "teach-trace: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die(2, "waitpid: %s", strerror(errno));
	set_events("0");
	tfs("events/teach/filter", "0");

	in = open(TRACEFS "/trace", O_RDONLY);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (in < 0 || fd < 0)
		die(2, "copying the trace to %s: %s", out, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			die(2, "%s: %s", out, strerror(errno));
	close(in);
	close(fd);
	/* what the buffer had to drop */
	for (cpu = 0; cpu < 1024; cpu++) {
		char path[128], line[128];

		snprintf(path, sizeof(path), TRACEFS "/per_cpu/cpu%d/stats", cpu);
		f = fopen(path, "r");
		if (!f)
			break;
		while (fgets(line, sizeof(line), f)) {
			unsigned long v;

			if (sscanf(line, "overrun: %lu", &v) == 1)
				overrun += v;
		}
		fclose(f);
	}
	tfs("trace", "");
	fprintf(stderr, "teach-trace: trace in %s%s\n", out,
		overrun ? " (events were lost: raise -b)" : "");
	if (overrun)
		fprintf(stderr, "teach-trace: %lu events overran the buffer\n", overrun);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* One event of the trace, as TP_printk wrote it */
struct ev {
	double t;		/* seconds, the trace clock */
	char name[32];		/* without "teach_stream_" */
	char from[40], to[40];	/* LADDR:LPORT, RADDR:RPORT */
	const char *args;	/* key=value ... */
};

static int parse_line(char *line, struct ev *e)
{
	char *p = strstr(line, ": teach_stream_"), *q, *colon;
	size_t n;

	if (!p || line[0] == '#')
		return -1;
	/* the timestamp ends where the event's name begins */
	for (q = p; q > line && q[-1] != ' '; q--)
		;
	e->t = strtod(q, NULL);
	p += strlen(": teach_stream_");
	colon = strchr(p, ':');
	if (!colon)
		return -1;
	n = (size_t)(colon - p);
	if (n >= sizeof(e->name))
		return -1;
	memcpy(e->name, p, n);
	e->name[n] = 0;
	if (sscanf(colon + 1, " %39s -> %39s", e->from, e->to) != 2)
		return -1;
	e->args = strstr(colon + 1, e->to) + strlen(e->to);
	return 0;
}

/* the number after "key=" in the arguments; def without it */
static double val(const struct ev *e, const char *key, double def)
{
	char k[32];
	const char *p;

	snprintf(k, sizeof(k), " %s=", key);
	p = strstr(e->args, k);
	return p ? strtod(p + strlen(k), NULL) : def;
}

static int has_flag(const struct ev *e, const char *flag)
{
	const char *p = strstr(e->args, " flags=");

	return p && strstr(p, flag);
}

struct conn {
	char from[40], to[40];
	unsigned long counts[NEVENTS];
	double bytes;		/* payload sent */
};

static struct conn *conns;
static size_t nconns;

static size_t event_index(const char *name)
{
	size_t i;

	for (i = 0; i < NEVENTS; i++)
		if (!strcmp(events[i] + strlen("teach_stream_"), name))
			return i;
	return NEVENTS;
}

static char **lines;
static size_t nlines;

static void load(const char *file)
{
	char buf[1024];
	FILE *f = fopen(file, "r");
	struct ev e;

	if (!f)
		die(2, "%s: %s", file, strerror(errno));
	while (fgets(buf, sizeof(buf), f)) {
		size_t i, k;

		if (parse_line(buf, &e))
			continue;
		lines = realloc(lines, (nlines + 1) * sizeof(*lines));
		if (!lines || !(lines[nlines] = strdup(buf)))
			die(2, "out of memory");
		nlines++;
		for (i = 0; i < nconns; i++)
			if (!strcmp(conns[i].from, e.from) && !strcmp(conns[i].to, e.to))
				break;
		if (i == nconns) {
			conns = realloc(conns, (nconns + 1) * sizeof(*conns));
			if (!conns)
				die(2, "out of memory");
			memset(&conns[i], 0, sizeof(conns[i]));
			strcpy(conns[i].from, e.from);
			strcpy(conns[i].to, e.to);
			nconns++;
		}
		k = event_index(e.name);
		if (k < NEVENTS)
			conns[i].counts[k]++;
		if (!strcmp(e.name, "send"))
			conns[i].bytes += val(&e, "len", 0);
	}
	fclose(f);
	if (!nlines)
		die(2, "%s: no teach_stream events", file);
}

/* the connection named by -c, or the one that sent the most */
static struct conn *pick(const char *want)
{
	struct conn *best = NULL;
	size_t i;

	for (i = 0; i < nconns; i++) {
		if (want && strcmp(conns[i].from, want))
			continue;
		if (!best || conns[i].bytes > best->bytes)
			best = &conns[i];
	}
	if (!best)
		die(1, want ? "no events from %s" : "no connection in the trace", want);
	return best;
}

static int cmd_summary(int argc, char **argv)
{
	const char *want = NULL;
	size_t i, k;
	int opt;

	while ((opt = getopt(argc, argv, "c:h")) != -1) {
		if (opt == 'c') {
			want = optarg;
		} else {
			usage(opt == 'h' ? stdout : stderr);
			return opt != 'h';
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 1;
	}
	load(argv[optind]);
	for (i = 0; i < nconns; i++) {
		if (want && strcmp(conns[i].from, want))
			continue;
		printf("%s -> %s: %.0f bytes sent", conns[i].from, conns[i].to, conns[i].bytes);
		for (k = 0; k < NEVENTS; k++)
			printf(" %s=%lu", events[k] + strlen("teach_stream_"), conns[i].counts[k]);
		putchar('\n');
	}
	return 0;
}

static FILE *dat(const char *prefix, const char *what, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s-%s.dat", prefix, what);
	f = fopen(path, "w");
	if (!f)
		die(2, "%s: %s", path, strerror(errno));
	return f;
}

/* gnuplot's strings: no quotes or backslashes in ours */
static const char *gp_terms[][2] = {
	{ "pngcairo size 1100,650 font \",11\"", "png" },
	{ "svg size 1100,650 dynamic font \",11\"", "svg" },
};

static int cmd_plot(int argc, char **argv)
{
	const char *want = NULL, *prefix = "teach-trace";
	char send_p[512], rtx_p[512], ack_p[512], cwnd_p[512], rtt_p[512], gp_p[512];
	FILE *fs, *fr, *fa, *fc, *ft, *gp;
	double t0 = -1, isn = -1;
	struct conn *c;
	unsigned long nsend = 0, nrtx = 0, nack = 0, ncwnd = 0, nrtt = 0;
	size_t i, k;
	int opt, rc;

	while ((opt = getopt(argc, argv, "c:o:h")) != -1) {
		if (opt == 'c') {
			want = optarg;
		} else if (opt == 'o') {
			prefix = optarg;
		} else {
			usage(opt == 'h' ? stdout : stderr);
			return opt != 'h';
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 1;
	}
	load(argv[optind]);
	c = pick(want);

	fs = dat(prefix, "send", send_p, sizeof(send_p));
	fr = dat(prefix, "retransmit", rtx_p, sizeof(rtx_p));
	fa = dat(prefix, "ack", ack_p, sizeof(ack_p));
	fc = dat(prefix, "cwnd", cwnd_p, sizeof(cwnd_p));
	ft = dat(prefix, "rtt", rtt_p, sizeof(rtt_p));
	fprintf(fs, "# time_s seq_rel len flags (%s -> %s)\n", c->from, c->to);
	fprintf(fr, "# time_s seq_rel len times_sent_before\n");
	fprintf(fa, "# time_s ack_rel window_right_edge_rel snd_wnd\n");
	fprintf(fc, "# time_s cwnd ssthresh flight (bytes; ssthresh NaN = none yet)\n");
	fprintf(ft, "# time_s sample_ms srtt_ms rto_ms\n");
	for (i = 0; i < nlines; i++) {
		struct ev e;
		double t, seq;

		parse_line(lines[i], &e);
		if (strcmp(e.from, c->from) || strcmp(e.to, c->to))
			continue;
		if (t0 < 0)
			t0 = e.t;
		t = e.t - t0;
		if (!strcmp(e.name, "send")) {
			seq = val(&e, "seq", 0);
			/* the ISN: the SYN's number, else the first one sent */
			if (isn < 0 || (has_flag(&e, "SYN") && !nsend))
				isn = seq;
			seq = (double)(((unsigned long long)seq - (unsigned long long)isn) & 0xffffffffULL);
			if (val(&e, "len", 0) > 0 || has_flag(&e, "SYN") || has_flag(&e, "FIN")) {
				fprintf(fs, "%.6f %.0f %.0f %s\n", t, seq,
					val(&e, "len", 0) ? val(&e, "len", 0) : 1,
					has_flag(&e, "SYN") ? "SYN" : has_flag(&e, "FIN") ? "FIN" : "-");
				nsend++;
			}
		} else if (!strcmp(e.name, "retransmit") && isn >= 0) {
			seq = (double)(((unsigned long long)val(&e, "seq", 0) -
					(unsigned long long)isn) & 0xffffffffULL);
			fprintf(fr, "%.6f %.0f %.0f %.0f\n", t, seq, val(&e, "len", 0),
				val(&e, "sent", 0));
			nrtx++;
		} else if (!strcmp(e.name, "ack") && isn >= 0) {
			double ack = (double)(((unsigned long long)val(&e, "ack", 0) -
					       (unsigned long long)isn) & 0xffffffffULL);
			double wnd = val(&e, "snd_wnd", 0);

			fprintf(fa, "%.6f %.0f %.0f %.0f\n", t, ack, ack + wnd, wnd);
			nack++;
		} else if (!strcmp(e.name, "cwnd")) {
			double ss = val(&e, "ssthresh", 0);

			if (ss >= 4294967295.0)
				fprintf(fc, "%.6f %.0f NaN %.0f\n", t, val(&e, "cwnd", 0),
					val(&e, "flight", 0));
			else
				fprintf(fc, "%.6f %.0f %.0f %.0f\n", t, val(&e, "cwnd", 0), ss,
					val(&e, "flight", 0));
			ncwnd++;
		} else if (!strcmp(e.name, "rtt")) {
			fprintf(ft, "%.6f %.3f %.3f %.3f\n", t, val(&e, "sample", 0) / 1000,
				val(&e, "srtt", 0) / 1000, val(&e, "rto", 0) / 1000);
			nrtt++;
		}
	}
	fclose(fs);
	fclose(fr);
	fclose(fa);
	fclose(fc);
	fclose(ft);
	if (!nsend)
		die(2, "%s -> %s sent no segments in the trace", c->from, c->to);

	snprintf(gp_p, sizeof(gp_p), "%s.gp", prefix);
	gp = fopen(gp_p, "w");
	if (!gp)
		die(2, "%s: %s", gp_p, strerror(errno));
	/* headroom above the highest line, which would sit on the border */
	fprintf(gp, "# teach-trace plot: %s -> %s\nset grid\nset key top left\n"
		"set offsets 0, 0, graph 0.08, 0\nset yrange [0:*]\n"
		"set xlabel 'time (s)'\n", c->from, c->to);
	for (k = 0; k < 2; k++) {
		const char *term = gp_terms[k][0], *ext = gp_terms[k][1];

		fprintf(gp, "set terminal %s\n", term);
		fprintf(gp, "set output '%s-tseq.%s'\n"
			"set title 'Time-sequence graph, %s -> %s'\n"
			"set ylabel 'sequence number (bytes from the ISN)'\n"
			"plot '%s' using 1:2:(0):3 with vectors nohead lw 2 lc rgb '#1f77b4' title 'segments sent'",
			prefix, ext, c->from, c->to, send_p);
		if (nrtx)
			fprintf(gp, ", \\\n  '%s' using 1:2:(0):3 with vectors nohead lw 3 lc rgb '#d62728' title 'retransmissions', \\\n"
				"  '%s' using 1:2 with points pt 7 ps 0.6 lc rgb '#d62728' notitle",
				rtx_p, rtx_p);
		if (nack)
			fprintf(gp, ", \\\n  '%s' using 1:2 with steps lw 1.5 lc rgb '#2ca02c' title 'acknowledged (ACKs received)', \\\n"
				"  '%s' using 1:3 with steps lw 1.5 lc rgb '#ff7f0e' title 'window right edge (ACK + window)'",
				ack_p, ack_p);
		fprintf(gp, "\n");
		if (ncwnd) {
			fprintf(gp, "set output '%s-cwnd.%s'\n"
				"set title 'Congestion window, %s -> %s'\n"
				"set ylabel 'bytes'\n"
				"plot '%s' using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'cwnd', \\\n"
				"  '%s' using 1:3 with steps lw 2 lc rgb '#d62728' title 'ssthresh', \\\n"
				"  '%s' using 1:4 with steps lw 1 lc rgb '#7f7f7f' title 'in flight'",
				prefix, ext, c->from, c->to, cwnd_p, cwnd_p, cwnd_p);
			if (nrtx)
				fprintf(gp, ", \\\n  '%s' using 1:(0) with impulses lc rgb '#d62728' notitle",
					rtx_p);
			fprintf(gp, "\n");
		}
		if (nrtt)
			fprintf(gp, "set output '%s-rtt.%s'\n"
				"set title 'Round-trip time, %s -> %s'\n"
				"set ylabel 'milliseconds'\n"
				"plot '%s' using 1:2 with points pt 7 ps 0.5 lc rgb '#7f7f7f' title 'RTT samples', \\\n"
				"  '%s' using 1:3 with steps lw 2 lc rgb '#1f77b4' title 'SRTT', \\\n"
				"  '%s' using 1:4 with steps lw 2 lc rgb '#d62728' title 'RTO'\n",
				prefix, ext, c->from, c->to, rtt_p, rtt_p, rtt_p);
		fprintf(gp, "unset output\n");
	}
	fclose(gp);
	rc = system(NULL) ? 0 : -1;
	if (!rc) {
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "gnuplot '%s'", gp_p);
		rc = system(cmd);
	}
	if (rc)
		die(2, "gnuplot failed on %s (is gnuplot installed?)", gp_p);
	printf("%s -> %s: %lu segments, %lu retransmissions, %lu ACKs, %lu cwnd and %lu RTT events\n",
	       c->from, c->to, nsend, nrtx, nack, ncwnd, nrtt);
	printf("%s-tseq.png %s-tseq.svg", prefix, prefix);
	if (ncwnd)
		printf(" %s-cwnd.png %s-cwnd.svg", prefix, prefix);
	if (nrtt)
		printf(" %s-rtt.png %s-rtt.svg", prefix, prefix);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2;
	}
	optind = 2;
	if (!strcmp(argv[1], "record"))
		return cmd_record(argc, argv);
	if (!strcmp(argv[1], "plot"))
		return cmd_plot(argc, argv);
	if (!strcmp(argv[1], "summary"))
		return cmd_summary(argc, argv);
	usage(stderr);
	return 1;
}
