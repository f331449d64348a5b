/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpulist.h - CPU sets, the CPU-list syntax, and the CPU masks of the
 * system (read once: a snapshot).
 */
#ifndef TDXCTL_CPULIST_H
#define TDXCTL_CPULIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPUSET_MAX 8192u	/* the largest CPU number + 1 we accept */

struct cpuset {
	unsigned nbits;
	uint64_t *bits;
};

struct cpuset *cpuset_new(unsigned nbits);
void cpuset_free(struct cpuset *s);
struct cpuset *cpuset_dup(const struct cpuset *s);
void cpuset_set(struct cpuset *s, unsigned cpu);
void cpuset_clr(struct cpuset *s, unsigned cpu);
bool cpuset_test(const struct cpuset *s, unsigned cpu);
unsigned cpuset_count(const struct cpuset *s);
bool cpuset_empty(const struct cpuset *s);
bool cpuset_equal(const struct cpuset *a, const struct cpuset *b);
/* Next set bit >= from, or -1. */
int cpuset_next(const struct cpuset *s, unsigned from);
#define cpuset_for_each(cpu, s) \
	for (int cpu = cpuset_next((s), 0); cpu >= 0; cpu = cpuset_next((s), (unsigned)cpu + 1))
void cpuset_or(struct cpuset *d, const struct cpuset *s);
void cpuset_and(struct cpuset *d, const struct cpuset *s);
void cpuset_andnot(struct cpuset *d, const struct cpuset *s);
/* "0-3,5,7-9"; "" for the empty set.  Returns a malloc'd string. */
char *cpuset_format(const struct cpuset *s);

/* The set as the subject of a sentence, malloc'd: "CPU 3", "CPUs 2-3,5"
 * or "no CPU"; its verb: "is" for one CPU, else "are". */
char *cpuset_name(const struct cpuset *s);
const char *cpuset_is(const struct cpuset *s);

/* The kernel's list format ("0-3,8") as found in sysfs; no names, no
 * strides.  Returns 0 or -EINVAL. */
int cpuset_parse_kernel(struct cpuset *s, const char *str);

/* CPU masks of the system, read once from <sysroot>/sys/devices/system/cpu. */
struct cpumasks {
	unsigned nr;			/* possible CPUs: highest + 1 */
	struct cpuset *possible;
	struct cpuset *present;
	struct cpuset *online;
	struct cpuset *offline;		/* present and not online */
	bool known;			/* sysfs masks were readable */
	const char *bad_mask;		/* the first mask not read whole ("online"), or NULL */
	int bad_err;			/* why: EINVAL malformed, ERANGE CPUs beyond the
					 * possible ones or the limit, else the read's errno */
};

int cpumasks_read(struct cpumasks *m);
void cpumasks_free(struct cpumasks *m);
/* Why the masks are not known, in words ("/sys/devices/system/cpu/online
 * is malformed"), into buf; NULL when they are. */
const char *cpumasks_why(const struct cpumasks *m, char *buf, size_t len);
/* Is the CPU online right now (re-read from sysfs)?  1, 0, or -errno.
 * A CPU without an "online" file (CPU 0 often) is online when present. */
int cpu_online_now(unsigned cpu);

/*
 * User syntax: comma-separated items; an item is N, A-B, A-B:S (stride),
 * or one of the names all (present CPUs), present, possible, online,
 * offline.  Numbers beyond the possible CPUs are errors.  On error,
 * returns -EINVAL and writes a message naming the bad item to err.
 */
int cpulist_parse(const char *str, const struct cpumasks *m, struct cpuset **out,
		  char *err, size_t errlen);

#endif
