// SPDX-License-Identifier: GPL-2.0-only
/*
 * strset.c - a hash table of strings
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"

static uint64_t hash(const char *k)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *k; k++) {
		h ^= (unsigned char)*k;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The slot of key, or of the empty slot where it would go. */
static size_t slot(const struct strset *s, const char *key)
{
	size_t i = (size_t)hash(key) & (s->cap - 1);

	while (s->key[i] && strcmp(s->key[i], key))
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int grow(struct strset *s)
{
	struct strset n = { .cap = s->cap ? s->cap * 2 : 64, .n = s->n };

	n.key = calloc(n.cap, sizeof(*n.key));
	n.val = calloc(n.cap, sizeof(*n.val));
	if (!n.key || !n.val) {
		free(n.key);
		free(n.val);
		return -1;
	}
	for (size_t i = 0; i < s->cap; i++) {
		if (s->key[i]) {
			size_t j = slot(&n, s->key[i]);

			n.key[j] = s->key[i];
			n.val[j] = s->val[i];
		}
	}
	free(s->key);
	free(s->val);
	*s = n;
	return 0;
}

int strset_add(struct strset *s, const char *key, size_t val, size_t *old)
{
	size_t i;

	/* at most half full: probes stay short */
	if ((s->n + 1) * 2 > s->cap && grow(s))
		return -1;
	i = slot(s, key);
	if (s->key[i]) {
		if (old)
			*old = s->val[i];
		return 0;
	}
	s->key[i] = strdup(key);
	if (!s->key[i])
		return -1;
	s->val[i] = val;
	s->n++;
	return 1;
}

bool strset_get(const struct strset *s, const char *key, size_t *val)
{
	size_t i;

	if (!s->cap)
		return false;
	i = slot(s, key);
	if (!s->key[i])
		return false;
	if (val)
		*val = s->val[i];
	return true;
}

void strset_free(struct strset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->key[i]);
	free(s->key);
	free(s->val);
	memset(s, 0, sizeof(*s));
}
