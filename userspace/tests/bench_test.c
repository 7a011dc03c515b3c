// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of teach-bench's bookkeeping (tools/bench.h): parsing
 * result lines, medians and spreads, ratios, the table and the JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../tools/bench.h"

static char *table_text(const struct bench_table *t, int json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		abort();
	if (json)
		bench_json(f, t);
	else
		bench_print(f, t);
	fclose(f);
	return out;
}

TEST(median_odd_even_unsorted)
{
	double a[] = { 5, 1, 3 };
	double b[] = { 4, 1, 3, 2 };
	double c[] = { 7 };

	EXPECT_EQ(3, bench_median(a, 3));
	EXPECT_EQ(2.5, bench_median(b, 4));
	EXPECT_EQ(7, bench_median(c, 1));
	/* sorted in place: the spread is then the ends */
	EXPECT_EQ(1, a[0]);
	EXPECT_EQ(5, a[2]);
}

TEST(parse_result)
{
	struct bench_result r;

	ASSERT_EQ(1, bench_parse("RESULT test=rr family=inet unit=trans/s value=1234.50 "
				 "ops=3703 secs=3.00 cpu_us=80.5 sirq=0.410\n", &r));
	EXPECT_STREQ("rr", r.test);
	EXPECT_EQ(BENCH_INET, r.family);
	EXPECT_STREQ("trans/s", r.unit);
	EXPECT_EQ(1234.5, r.value);
	EXPECT_EQ(0, r.na);
	EXPECT_EQ(1, r.has_cpu);
	EXPECT_EQ(80.5, r.cpu_us);
	EXPECT_EQ(0.41, r.sirq);
	EXPECT_STREQ("", r.base);
}

TEST(parse_na_takes_rest_of_line)
{
	struct bench_result r;

	ASSERT_EQ(1, bench_parse("RESULT test=rr-100k-idle family=teach unit=trans/s "
				 "value=na base=rr reason=no stream transport\n", &r));
	EXPECT_EQ(BENCH_TEACH, r.family);
	EXPECT_EQ(1, r.na);
	EXPECT_EQ(0, r.has_cpu);
	EXPECT_STREQ("rr", r.base);
	EXPECT_STREQ("no stream transport", r.reason);
}

TEST(parse_other_and_malformed)
{
	struct bench_result r;

	EXPECT_EQ(0, bench_parse("# [  1.0 s] topology", &r));
	EXPECT_EQ(0, bench_parse("ready inet port 5001", &r));
	EXPECT_EQ(0, bench_parse("RESULTS test=x", &r));
	/* no family, a bad family, no value, a value that is not a number */
	EXPECT_EQ(-1, bench_parse("RESULT test=x value=1", &r));
	EXPECT_EQ(-1, bench_parse("RESULT test=x family=ipx value=1", &r));
	EXPECT_EQ(-1, bench_parse("RESULT test=x family=inet", &r));
	EXPECT_EQ(-1, bench_parse("RESULT test=x family=inet value=12abc", &r));
	EXPECT_EQ(-1, bench_parse("RESULT test=x family=inet value=nan", &r));
	EXPECT_EQ(-1, bench_parse("RESULT test=x family=inet value=1 junk", &r));
	EXPECT_EQ(-1, bench_parse("RESULT family=inet value=1", &r));
}

static void feed(struct bench_table *t, const char *const *lines)
{
	for (; *lines; lines++)
		bench_feed(t, *lines);
}

static const char *const sample[] = {
	"META kernel=6.1.0-test runs=3 secs=1",
	"RESULT test=rr family=inet unit=trans/s value=100 cpu_us=10 sirq=0.5",
	"RESULT test=rr family=teach unit=trans/s value=90 cpu_us=12 sirq=0.4",
	"RESULT test=rr family=inet unit=trans/s value=120 cpu_us=9 sirq=0.5",
	"RESULT test=rr family=teach unit=trans/s value=80 cpu_us=13 sirq=0.4",
	"RESULT test=rr family=inet unit=trans/s value=110 cpu_us=11 sirq=0.5",
	"RESULT test=rr family=teach unit=trans/s value=85 cpu_us=14 sirq=0.4",
	"RESULT test=big family=inet unit=trans/s value=99 base=rr",
	"RESULT test=big family=teach unit=trans/s value=na base=rr reason=no stream transport",
	"RESULT test=loss family=inet unit=% value=2",
	"RESULT test=loss family=teach unit=% value=4",
	"noise between the results",
	NULL
};

TEST(table_medians_ratio_spread)
{
	static struct bench_table t;
	struct bench_stats s;
	double x;

	feed(&t, sample);
	EXPECT_EQ(0, t.bad);
	ASSERT_EQ(3, t.nrows);
	EXPECT_STREQ("rr", t.rows[0].test);
	EXPECT_STREQ("big", t.rows[1].test);
	s = bench_stats(&t.rows[0].fam[BENCH_INET]);
	EXPECT_EQ(1, s.ok);
	EXPECT_EQ(110, s.median);
	EXPECT_EQ(100, s.min);
	EXPECT_EQ(120, s.max);
	EXPECT_EQ(10, s.cpu_us);
	s = bench_stats(&t.rows[0].fam[BENCH_TEACH]);
	EXPECT_EQ(85, s.median);
	ASSERT_EQ(1, bench_ratio(&t.rows[0], &x));
	EXPECT_LT(fabs(x - 85.0 / 110), 1e-12);
	/* n/a: no ratio; a loss: no ratio either */
	EXPECT_EQ(0, bench_ratio(&t.rows[1], &x));
	EXPECT_EQ(0, bench_ratio(&t.rows[2], &x));
	ASSERT_EQ(1, bench_vs_base(&t, &t.rows[1], BENCH_INET, &x));
	EXPECT_LT(fabs(x - (99.0 / 110 - 1)), 1e-12);
	EXPECT_EQ(0, bench_vs_base(&t, &t.rows[1], BENCH_TEACH, &x));
	EXPECT_EQ(0, bench_vs_base(&t, &t.rows[0], BENCH_INET, &x));
}

TEST(malformed_lines_are_counted)
{
	static struct bench_table t;

	bench_feed(&t, "RESULT test=x family=inet value=oops");
	bench_feed(&t, "RESULT test=x family=inet value=1");
	EXPECT_EQ(1, t.bad);
	EXPECT_EQ(1, t.nrows);
}

TEST(format_numbers)
{
	char b[32];

	EXPECT_STREQ("12346", bench_fmt(12345.6, b, sizeof(b)));
	EXPECT_STREQ("123", bench_fmt(123.4, b, sizeof(b)));
	EXPECT_STREQ("12.3", bench_fmt(12.34, b, sizeof(b)));
	EXPECT_STREQ("1.23", bench_fmt(1.234, b, sizeof(b)));
	EXPECT_STREQ("0.123", bench_fmt(0.1234, b, sizeof(b)));
	EXPECT_STREQ("0", bench_fmt(0, b, sizeof(b)));
	EXPECT_STREQ("-5.0%", bench_pct(-0.05, b, sizeof(b)));
}

TEST(table_layout)
{
	static struct bench_table t;
	char *s;

	feed(&t, sample);
	s = table_text(&t, 0);
	EXPECT_NE(NULL, strstr(s, "# kernel=6.1.0-test runs=3 secs=1\n"));
	EXPECT_NE(NULL, strstr(s, "teach/inet"));
	/* rr: medians 110 and 85 (three digits), ratio 0.77, spreads */
	EXPECT_NE(NULL, strstr(s, "       110       85.0       0.77           100-120         80.0-90.0\n"));
	EXPECT_NE(NULL, strstr(s, "99.0   n/a (no stream transport)\n"));
	EXPECT_NE(NULL, strstr(s, "inet  -10.0%  teach       -\n"));
	free(s);
}

TEST(json_output)
{
	static struct bench_table t;
	char *s;

	feed(&t, sample);
	s = table_text(&t, 1);
	EXPECT_EQ('{', s[0]);
	EXPECT_NE(NULL, strstr(s, "\"meta\": {\n    \"kernel\": \"6.1.0-test\","));
	EXPECT_NE(NULL, strstr(s, "\"test\": \"rr\",\n      \"unit\": \"trans/s\",\n"
				  "      \"inet\": {\n        \"median\": 110,\n"
				  "        \"min\": 100,\n        \"max\": 120,\n"
				  "        \"runs\": [\n          100,\n          120,\n"
				  "          110\n        ],\n"
				  "        \"cpu_us_per_op\": 10,\n"
				  "        \"softirq_share\": 0.5\n      },"));
	EXPECT_NE(NULL, strstr(s, "\"ratio\": 0.772727\n"));
	EXPECT_NE(NULL, strstr(s, "\"teach\": {\n        \"na\": \"no stream transport\"\n      }"));
	EXPECT_NE(NULL, strstr(s, "\"inet_vs_base\": -0.1\n"));
	EXPECT_TRUE(!strstr(s, "teach_vs_base"));
	EXPECT_STREQ("}\n", s + strlen(s) - 2);
	free(s);
}

TEST_HARNESS_MAIN
