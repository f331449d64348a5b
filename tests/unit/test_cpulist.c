// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_cpulist.c - the CPU-list parser, formatter and masks
 */
#include <stdlib.h>
#include <string.h>

#include "cpulist.h"
#include "sysroot.h"
#include "tdxctl.h"
#include "tap.h"

static struct cpumasks masks(void)
{
	struct cpumasks m = { 0 };

	/* possible 0-15, present 0-11, online 0-7,9 */
	m.nr = 16;
	m.possible = cpuset_new(16);
	m.present = cpuset_new(16);
	m.online = cpuset_new(16);
	for (unsigned c = 0; c < 16; c++) {
		cpuset_set(m.possible, c);
		if (c < 12)
			cpuset_set(m.present, c);
		if (c < 8 || c == 9)
			cpuset_set(m.online, c);
	}
	m.offline = cpuset_dup(m.present);
	cpuset_andnot(m.offline, m.online);
	m.known = true;
	return m;
}

static void good(const struct cpumasks *m, const char *in, const char *want)
{
	struct cpuset *s;
	char err[256] = "";
	int r = cpulist_parse(in, m, &s, err, sizeof(err));

	if (r) {
		ok(0, "parse '%s'", in);
		printf("#   error: %s\n", err);
		return;
	}
	char *f = cpuset_format(s);

	is_str(f, want, "parse '%s' -> '%s'", in, want);
	free(f);
	cpuset_free(s);
}

static void bad(const struct cpumasks *m, const char *in, const char *must_name)
{
	struct cpuset *s = NULL;
	char err[256] = "";
	int r = cpulist_parse(in, m, &s, err, sizeof(err));

	ok(r == -22 && !s, "reject '%s'", in);
	ok(strstr(err, must_name) != NULL, "error for '%s' names '%s' (%s)", in, must_name, err);
	cpuset_free(s);
}

/* parsed, and formatted back */
static const struct { const char *in, *want; } goods[] = {
	{ "0", "0" },
	{ "3", "3" },
	{ "0-3", "0-3" },
	{ "0-15:4", "0,4,8,12" },
	{ "1-7:2,8", "1,3,5,7-8" },
	{ "5,1,3", "1,3,5" },
	{ "2-2", "2" },
	{ "0-3,2-5", "0-5" },
	{ "all", "0-11" },
	{ "present", "0-11" },
	{ "possible", "0-15" },
	{ "online", "0-7,9" },
	{ "offline", "8,10-11" },
	{ "offline,0", "0,8,10-11" },
	{ "15", "15" },
};

/* rejected, and the error names the culprit */
static const struct { const char *in, *must_name; } bads[] = {
	{ "", "empty" },
	{ "16", "16" },
	{ "0-16", "'0-16'" },
	{ "1-", "'1-'" },
	{ "-1", "'-1'" },
	{ "a", "'a'" },
	{ "3-1", "start is after end" },
	{ "0,,1", "empty item" },
	{ "0,", "empty item" },
	{ "1:2", "'1:2'" },
	{ "0-3:0", "stride" },
	{ "0-3:x", "stride" },
	{ "0-3:2x", "'0-3:2x'" },
	{ "online,bogus", "'bogus'" },
	{ " 1", "' 1'" },
	{ "99999999999", "99999999999" },
	{ "1000000-1000001", "out of range" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaa" },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	struct cpumasks m = masks();
	struct cpuset *a, *b;

	/* 1 per good, 2 per bad, 1 out-of-range message, 8 set operations,
	 * 2 kernel list format, 5 from the fixture tree */
	plan((int)(ARRAY_SIZE(goods) + 2 * ARRAY_SIZE(bads)) + 1 + 8 + 2 + 5);

	for (unsigned i = 0; i < ARRAY_SIZE(goods); i++)
		good(&m, goods[i].in, goods[i].want);
	for (unsigned i = 0; i < ARRAY_SIZE(bads); i++)
		bad(&m, bads[i].in, bads[i].must_name);
	{
		struct cpuset *s = NULL;
		char err[256] = "";

		cpulist_parse("42", &m, &s, err, sizeof(err));
		cpuset_free(s);
		ok(strstr(err, "possible CPUs: 0-15") != NULL, "out of range names the possible CPUs (%s)", err);
	}

	/* set operations and formatting */
	a = cpuset_new(200);
	b = cpuset_new(200);
	ok(cpuset_empty(a), "new set is empty");
	{
		char *f = cpuset_format(a);

		is_str(f, "", "empty set formats as ''");
		free(f);
	}
	cpuset_set(a, 63);
	cpuset_set(a, 64);
	cpuset_set(a, 199);
	cpuset_set(a, 200);	/* beyond nbits: ignored */
	ok(cpuset_count(a) == 3, "count across words");
	ok(cpuset_next(a, 0) == 63 && cpuset_next(a, 64) == 64 && cpuset_next(a, 65) == 199 &&
	   cpuset_next(a, 200) == -1, "next across words");
	{
		char *f = cpuset_format(a);

		is_str(f, "63-64,199", "format across words");
		free(f);
	}
	cpuset_set(b, 64);
	cpuset_andnot(a, b);
	ok(!cpuset_test(a, 64) && cpuset_test(a, 63), "andnot");
	cpuset_or(b, a);
	ok(cpuset_equal(b, a) == false && cpuset_count(b) == 3, "or");
	cpuset_and(b, a);
	ok(cpuset_equal(b, a), "and, equal");
	cpuset_free(a);
	cpuset_free(b);

	/* the kernel's list format, as in sysfs */
	a = cpuset_new(64);
	ok(cpuset_parse_kernel(a, "0-3,8,10-11\n") == 0 && cpuset_count(a) == 7, "kernel list format");
	ok(cpuset_parse_kernel(a, "0-x") != 0, "kernel list format: garbage rejected");
	cpuset_free(a);

	/* masks read from a sysroot tree */
	{
		const char *root = getenv("FIXTURES");
		char path[4096];
		struct cpumasks fm;

		if (!root) {
			/* the test setup always names the fixture tree */
			for (int i = 0; i < 5; i++)
				ok(0, "fixture check %d: FIXTURES is not set", i + 1);
		} else {
			snprintf(path, sizeof(path), "%s/tdx-host", root);
			sr_set(path);
			ok(cpumasks_read(&fm) == 0 && fm.nr == 4 && cpuset_count(fm.online) == 4,
			   "masks from the tdx-host fixture");
			ok(cpu_online_now(0) == 1, "CPU 0 without an online file is online");
			ok(cpu_online_now(2) == 1, "CPU 2 online file");
			ok(cpu_online_now(7) == 0, "CPU 7 does not exist");
			cpumasks_free(&fm);
			sr_set("/nonexistent");
			ok(cpumasks_read(&fm) != 0 && !fm.known && fm.nr == CPUSET_MAX,
			   "missing sysfs: masks unknown, any CPU number accepted");
			cpumasks_free(&fm);
			sr_set(NULL);
		}
	}

	cpumasks_free(&m);
	return tap_done();
}
