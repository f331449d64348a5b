/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * strset.h - a hash table of strings (open addressing, linear probing,
 * FNV-1a), each with a size_t value: constant time per lookup, so that
 * a pass over N names is linear in N.
 */
#ifndef TDXCTL_STRSET_H
#define TDXCTL_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset {
	char **key;
	size_t *val;
	size_t cap, n;		/* cap: a power of two, or 0 */
};

/* Add key (copied) with val; 1 added, 0 already there (*old = its
 * value when old is not NULL), -1 out of memory. */
int strset_add(struct strset *s, const char *key, size_t val, size_t *old);
/* The value of key in *val; false if absent. */
bool strset_get(const struct strset *s, const char *key, size_t *val);
void strset_free(struct strset *s);

#endif
