/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tap.h - minimal TAP output for the unit test programs
 *
 * A program declares how many checks it runs before the first one:
 *
 *	plan(N);
 *	ok(cond, "what");  is_str(got, want, "what");  ...
 *	return tap_done();
 *
 * tap_done() returns non-zero when a check failed or when the number of
 * checks run differs from the plan (and says so).  stdout is line
 * buffered, so a program that dies halfway leaves every line it printed.
 */
#ifndef TDXCTL_TAP_H
#define TDXCTL_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed, tap_planned = -1;

static inline void plan(int n)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	tap_planned = n;
	printf("TAP version 13\n1..%d\n", n);
}

/* print S as diagnostics, one "#" line per line of S */
static inline void tap_diag(const char *label, const char *s)
{
	if (!s) {
		printf("#   %s (null)\n", label);
		return;
	}
	printf("#   %s\n#     |", label);
	for (; *s; s++) {
		if (*s == '\n')
			printf(s[1] ? "\n#     |" : "$");
		else if (*s == '\033')
			printf("\\e");
		else
			putchar(*s);
	}
	putchar('\n');
}

__attribute__((format(printf, 5, 6)))
static inline int tap_ok(int c, const char *file, int line, const char *expr, const char *fmt, ...)
{
	char desc[512];
	va_list ap;

	if (tap_planned < 0) {
		printf("Bail out! %s:%d: a check before plan()\n", file, line);
		exit(1);
	}
	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	/* a description is one line */
	for (char *p = desc; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '#')
			*p = *p == '#' ? '_' : ' ';
	tap_n++;
	if (!c)
		tap_failed++;
	printf("%sok %d - %s\n", c ? "" : "not ", tap_n, desc);
	if (!c)
		printf("#   failed at %s:%d: %s\n", file, line, expr);
	return c;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, #cond, __VA_ARGS__)

#define is_str(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (!ok(g_ && w_ && !strcmp(g_, w_), __VA_ARGS__)) {		\
		tap_diag("got:", g_);					\
		tap_diag("want:", w_);					\
	}								\
} while (0)

static inline int tap_done(void)
{
	if (tap_n != tap_planned) {
		printf("# planned %d checks, ran %d\n", tap_planned, tap_n);
		return 1;
	}
	if (tap_failed) {
		printf("# %d of %d checks failed\n", tap_failed, tap_n);
		return 1;
	}
	return 0;
}

#endif
