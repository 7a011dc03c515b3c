// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the tools' JSON writer (tools/json.h).
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../tools/json.h"

/* Run fn on a writer over a memory stream and return what it wrote. */
static char *capture(void (*fn)(struct json *j), int pretty)
{
	struct json j;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		abort();
	json_init(&j, f, pretty);
	fn(&j);
	fclose(f);
	return out;
}

static char *escape(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		abort();
	json_escape(f, s);
	fclose(f);
	return out;
}

static void write_list(struct json *j)
{
	json_start_array(j, NULL);
	json_start_object(j, NULL);
	json_int(j, "ifindex", 2);
	json_string(j, "ifname", "veth0");
	json_uint(j, "big", 18446744073709551615ULL);
	json_bool(j, "up", 1);
	json_end_object(j);
	json_start_object(j, NULL);
	json_int(j, "neg", -5);
	json_start_array(j, "empty");
	json_end_array(j);
	json_end_object(j);
	json_end_array(j);
}

static void write_empty(struct json *j)
{
	json_start_array(j, NULL);
	json_end_array(j);
}

TEST(compact)
{
	char *s = capture(write_list, 0);

	EXPECT_STREQ("[{\"ifindex\":2,\"ifname\":\"veth0\","
		     "\"big\":18446744073709551615,\"up\":true},"
		     "{\"neg\":-5,\"empty\":[]}]\n", s);
	free(s);
}

TEST(pretty)
{
	char *s = capture(write_list, 1);

	EXPECT_STREQ("[\n"
		     "  {\n"
		     "    \"ifindex\": 2,\n"
		     "    \"ifname\": \"veth0\",\n"
		     "    \"big\": 18446744073709551615,\n"
		     "    \"up\": true\n"
		     "  },\n"
		     "  {\n"
		     "    \"neg\": -5,\n"
		     "    \"empty\": []\n"
		     "  }\n"
		     "]\n", s);
	free(s);
}

TEST(empty_array)
{
	char *s = capture(write_empty, 0);

	EXPECT_STREQ("[]\n", s);
	free(s);
	s = capture(write_empty, 1);
	EXPECT_STREQ("[]\n", s);
	free(s);
}

TEST(escaping)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "\"\"" },
		{ "plain", "\"plain\"" },
		{ "a\"b", "\"a\\\"b\"" },
		{ "back\\slash", "\"back\\\\slash\"" },
		{ "tab\there", "\"tab\\there\"" },
		{ "nl\ncr\r", "\"nl\\ncr\\r\"" },
		{ "\b\f", "\"\\b\\f\"" },
		{ "\x01\x1f", "\"\\u0001\\u001f\"" },
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
		{ "/", "\"/\"" },
		{ "\x7f", "\"\x7f\"" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *s = escape(cases[i].in);

		EXPECT_STREQ(cases[i].out, s);
		free(s);
	}
}

TEST_HARNESS_MAIN
