// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpulist.c - CPU sets and CPU-list parsing
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpulist.h"
#include "sysroot.h"
#include "tdxctl.h"

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);

	if (!p) {
		perror("tdxctl");
		exit(1);
	}
	return p;
}

struct cpuset *cpuset_new(unsigned nbits)
{
	struct cpuset *s = xcalloc(1, sizeof(*s));

	if (nbits > CPUSET_MAX)	/* the limit; also keeps (nbits + 63) from wrapping */
		nbits = CPUSET_MAX;
	s->nbits = nbits;
	s->bits = xcalloc((nbits + 63) / 64, sizeof(uint64_t));
	return s;
}

void cpuset_free(struct cpuset *s)
{
	if (!s)
		return;
	free(s->bits);
	free(s);
}

struct cpuset *cpuset_dup(const struct cpuset *s)
{
	struct cpuset *d = cpuset_new(s->nbits);

	memcpy(d->bits, s->bits, (s->nbits + 63) / 64 * sizeof(uint64_t));
	return d;
}

void cpuset_set(struct cpuset *s, unsigned cpu)
{
	if (cpu < s->nbits)
		s->bits[cpu / 64] |= 1ULL << (cpu % 64);
}

void cpuset_clr(struct cpuset *s, unsigned cpu)
{
	if (cpu < s->nbits)
		s->bits[cpu / 64] &= ~(1ULL << (cpu % 64));
}

bool cpuset_test(const struct cpuset *s, unsigned cpu)
{
	return cpu < s->nbits && (s->bits[cpu / 64] >> (cpu % 64)) & 1;
}

unsigned cpuset_count(const struct cpuset *s)
{
	unsigned n = 0;

	for (unsigned i = 0; i < (s->nbits + 63) / 64; i++)
		n += (unsigned)__builtin_popcountll(s->bits[i]);
	return n;
}

bool cpuset_empty(const struct cpuset *s)
{
	return cpuset_count(s) == 0;
}

bool cpuset_equal(const struct cpuset *a, const struct cpuset *b)
{
	unsigned n = a->nbits > b->nbits ? a->nbits : b->nbits;

	for (unsigned i = 0; i < n; i++)
		if (cpuset_test(a, i) != cpuset_test(b, i))
			return false;
	return true;
}

int cpuset_next(const struct cpuset *s, unsigned from)
{
	for (unsigned i = from; i < s->nbits; i++) {
		uint64_t w = s->bits[i / 64] >> (i % 64);

		if (!w) {
			i |= 63;	/* skip the rest of this word */
			continue;
		}
		return (int)(i + (unsigned)__builtin_ctzll(w));
	}
	return -1;
}

void cpuset_or(struct cpuset *d, const struct cpuset *s)
{
	cpuset_for_each(c, s)
		cpuset_set(d, (unsigned)c);
}

void cpuset_and(struct cpuset *d, const struct cpuset *s)
{
	cpuset_for_each(c, d)
		if (!cpuset_test(s, (unsigned)c))
			cpuset_clr(d, (unsigned)c);
}

void cpuset_andnot(struct cpuset *d, const struct cpuset *s)
{
	cpuset_for_each(c, s)
		cpuset_clr(d, (unsigned)c);
}

char *cpuset_format(const struct cpuset *s)
{
	size_t cap = 64, len = 0;
	char *buf = xcalloc(cap, 1);
	int c = cpuset_next(s, 0);

	while (c >= 0) {
		int e = c;
		char item[32];
		int n;

		while (cpuset_test(s, (unsigned)e + 1))
			e++;
		if (e == c)
			n = snprintf(item, sizeof(item), "%s%d", len ? "," : "", c);
		else
			n = snprintf(item, sizeof(item), "%s%d-%d", len ? "," : "", c, e);
		if (len + (size_t)n + 1 > cap) {
			char *nb;

			cap = (len + (size_t)n + 1) * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				perror("tdxctl");
				exit(1);
			}
			buf = nb;
		}
		memcpy(buf + len, item, (size_t)n + 1);
		len += (size_t)n;
		c = cpuset_next(s, (unsigned)e + 1);
	}
	return buf;
}

char *cpuset_name(const struct cpuset *s)
{
	char *l = cpuset_format(s), *out;
	unsigned n = cpuset_count(s);

	if (asprintf(&out, "%s%s", n == 0 ? "no CPU" : n == 1 ? "CPU " : "CPUs ", l) < 0) {
		perror("tdxctl");
		exit(1);
	}
	free(l);
	return out;
}

const char *cpuset_is(const struct cpuset *s)
{
	return cpuset_count(s) == 1 ? "is" : "are";
}

/* Parse a decimal CPU number at *p; advances *p.  -1 if none/overflow. */
static long parse_num(const char **p)
{
	const char *s = *p;
	long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s - '0');
		if (v > (1L << 30))
			return -1;
		s++;
	}
	*p = s;
	return v;
}

int cpuset_parse_kernel(struct cpuset *s, const char *str)
{
	const char *p = str;
	int rc = 0;

	while (*p && *p != '\n') {
		long a, b;

		a = parse_num(&p);
		if (a < 0)
			return -EINVAL;
		b = a;
		if (*p == '-') {
			p++;
			b = parse_num(&p);
			if (b < a)
				return -EINVAL;
		}
		/* clamped: the set ends at nbits, so does the loop */
		if ((unsigned long)b >= s->nbits) {
			rc = -ERANGE;
			b = (long)s->nbits - 1;
		}
		for (long c = a; c <= b; c++)
			cpuset_set(s, (unsigned)c);
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
	}
	return rc;
}

/* Highest CPU of a kernel list string, or -1. */
static long list_max(const char *str)
{
	const char *p = str;
	long max = -1;

	while (*p) {
		if (*p >= '0' && *p <= '9') {
			long v = parse_num(&p);

			if (v < 0)
				return LONG_MAX;
			if (v > max)
				max = v;
		} else {
			p++;
		}
	}
	return max;
}

/* A sysfs CPU list: at most 1 MiB, every CPU below the limit. */
static char *read_list(const char *name)
{
	char path[128];
	char *buf;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s", name);
	buf = sr_slurp_max(path, 1u << 20, NULL);
	if (buf && list_max(buf) >= (long)CPUSET_MAX) {
		long mx = list_max(buf);

		if (mx == LONG_MAX)
			warnmsg("%s%s: a CPU number past the limit of %u CPUs; the list is ignored",
				sr_root(), path, CPUSET_MAX);
		else
			warnmsg("%s%s: names CPU %ld, beyond the limit of %u CPUs; the list is ignored",
				sr_root(), path, mx, CPUSET_MAX);
		free(buf);
		errno = ERANGE;
		return NULL;
	}
	return buf;
}

static void mask_bad(struct cpumasks *m, const char *name, int err)
{
	if (!m->bad_mask) {
		m->bad_mask = name;
		m->bad_err = err;
	}
}

/* A mask from its list (buf, freed here; NULL: unreadable, with errno). */
static struct cpuset *parse_mask(struct cpumasks *m, const char *name, char *buf)
{
	struct cpuset *s = cpuset_new(m->nr);
	int r = buf ? cpuset_parse_kernel(s, buf) : -(errno ? errno : ENOENT);

	if (r == -ERANGE)
		warnmsg("%s/sys/devices/system/cpu/%s: names CPUs beyond the possible ones (0-%u); they are ignored",
			sr_root(), name, m->nr - 1);
	if (r)
		mask_bad(m, name, -r);
	free(buf);
	return s;
}

int cpumasks_read(struct cpumasks *m)
{
	char *buf;

	memset(m, 0, sizeof(*m));
	/* read once: a list past the limit is warned about once */
	errno = 0;
	buf = read_list("possible");
	if (buf) {
		long mx = list_max(buf);

		m->nr = mx >= 0 ? (unsigned)mx + 1 : 0;
	}
	if (m->nr == 0 || m->nr > CPUSET_MAX) {
		mask_bad(m, "possible", buf ? EINVAL : errno ? errno : ENOENT);
		m->nr = CPUSET_MAX;
	}
	m->possible = parse_mask(m, "possible", buf);
	errno = 0;
	m->present = parse_mask(m, "present", read_list("present"));
	errno = 0;
	m->online = parse_mask(m, "online", read_list("online"));
	m->offline = cpuset_dup(m->present);
	cpuset_andnot(m->offline, m->online);
	m->known = !m->bad_mask;
	return m->known ? 0 : -ENOENT;
}

const char *cpumasks_why(const struct cpumasks *m, char *buf, size_t len)
{
	if (!m->bad_mask)
		return NULL;
	snprintf(buf, len, "/sys/devices/system/cpu/%s %s", m->bad_mask,
		 m->bad_err == EINVAL ? "is malformed" :
		 m->bad_err == ERANGE ? "names CPUs beyond the possible ones or the limit" : "is not readable");
	if (m->bad_err != EINVAL && m->bad_err != ERANGE)
		snprintf(buf + strlen(buf), len - strlen(buf), " (%s)", strerror(m->bad_err));
	return buf;
}

void cpumasks_free(struct cpumasks *m)
{
	cpuset_free(m->possible);
	cpuset_free(m->present);
	cpuset_free(m->online);
	cpuset_free(m->offline);
	memset(m, 0, sizeof(*m));
}

int cpu_online_now(unsigned cpu)
{
	char path[96], buf[16];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	n = sr_read(path, buf, sizeof(buf));
	if (n == -ENOENT) {
		/* No online file: not hot-pluggable (CPU 0), or not present. */
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u", cpu);
		return sr_exists(path) ? 1 : 0;
	}
	if (n < 0)
		return (int)n;
	return buf[0] == '1';
}

static const struct {
	const char *name;
	size_t off;
} named_sets[] = {
	{ "all", offsetof(struct cpumasks, present) },
	{ "present", offsetof(struct cpumasks, present) },
	{ "possible", offsetof(struct cpumasks, possible) },
	{ "online", offsetof(struct cpumasks, online) },
	{ "offline", offsetof(struct cpumasks, offline) },
};

int cpulist_parse(const char *str, const struct cpumasks *m, struct cpuset **out,
		  char *err, size_t errlen)
{
	struct cpuset *s = cpuset_new(m->nr);
	const char *item = str;

	*out = NULL;
	if (!*str) {
		snprintf(err, errlen, "empty CPU list");
		goto bad;
	}
	for (;;) {
		const char *end = strchr(item, ',');
		size_t len = end ? (size_t)(end - item) : strlen(item);
		char tok[64];
		const char *p;
		long a, b, step = 1;
		size_t i;

		if (len == 0) {
			snprintf(err, errlen, "empty item in CPU list '%s'", str);
			goto bad;
		}
		if (len >= sizeof(tok)) {
			snprintf(err, errlen, "invalid CPU list item '%.*s...'", 20, item);
			goto bad;
		}
		memcpy(tok, item, len);
		tok[len] = '\0';

		for (i = 0; i < sizeof(named_sets) / sizeof(named_sets[0]); i++) {
			if (!strcmp(tok, named_sets[i].name)) {
				const struct cpuset *ns =
					*(struct cpuset *const *)((const char *)m + named_sets[i].off);
				cpuset_or(s, ns);
				break;
			}
		}
		if (i < sizeof(named_sets) / sizeof(named_sets[0]))
			goto next;

		p = tok;
		a = parse_num(&p);
		if (a < 0) {
			snprintf(err, errlen, "invalid CPU list item '%s' (expected N, A-B, A-B:S, all, present, possible, online or offline)", tok);
			goto bad;
		}
		b = a;
		if (*p == '-') {
			p++;
			b = parse_num(&p);
			if (b < 0) {
				snprintf(err, errlen, "invalid CPU range '%s'", tok);
				goto bad;
			}
			if (*p == ':') {
				p++;
				step = parse_num(&p);
				if (step <= 0) {
					snprintf(err, errlen, "invalid stride in CPU range '%s'", tok);
					goto bad;
				}
			}
		}
		if (*p) {
			snprintf(err, errlen, "invalid CPU list item '%s'", tok);
			goto bad;
		}
		if (b < a) {
			snprintf(err, errlen, "invalid CPU range '%s': start is after end", tok);
			goto bad;
		}
		if ((unsigned long)b >= m->nr) {
			char *pos = cpuset_format(m->possible);

			snprintf(err, errlen, "CPU %ld in '%s' is out of range (possible CPUs: %s)",
				 (unsigned long)a >= m->nr ? a : b, tok, *pos ? pos : "unknown");
			free(pos);
			goto bad;
		}
		for (long c = a; c <= b; c += step)
			cpuset_set(s, (unsigned)c);
next:
		if (!end)
			break;
		item = end + 1;
	}
	*out = s;
	return 0;
bad:
	cpuset_free(s);
	return -EINVAL;
}
