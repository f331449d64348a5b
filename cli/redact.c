// SPDX-License-Identifier: GPL-2.0-only
/*
 * redact.c - diag's redaction by field and format (the table is in
 * redact.h and tdxctl(8)).  One pass over a text: at each position the
 * matchers below are tried in turn; the first that matches writes its
 * replacement and the pass goes on after what it matched.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "redact.h"

const char *const rkind_name[RK_NKINDS] = {
	"hostname", "domain", "user-name", "mac-address", "ipv4-address", "ipv6-address", "uuid",
};

/* Words tdxctl's verdicts read: a host or user so named is redacted only
 * where a field or format says it is one. */
static const char *const vocabulary[] = {
	"tdx", "kvm", "vmx", "tdx_host", "kvm_intel", "kvm_amd", "tdxctl", "tdxctl_emu", "seamldr",
	"seam", "virt", "x86", "intel", "tdx_guest", "host", "module", "cpu", "cpus", "msr", "bios",
	"localhost", "kernel", "root", "platform", "seamcall", "guest", "global", "packages",
	/* the words of the kernel log lines verdicts are read from */
	"enabled", "disabled", "enable", "private", "keyid", "keyids", "range", "allocated", "pamt",
	"initialization", "initialized", "initializing", "failed", "version", "tdmr", "tdmrs",
	"p-seamldr", "tdx-module", "reserved", "areas", "exhausted", "hibernation", "nohibernate",
	"support", "supported", "too", "few", "unavailable", "error", "status", "leaf", "sticky",
};

struct sbuf {
	char *p;
	size_t n, cap;
	bool oom;
};

static void put(struct sbuf *s, const char *d, size_t n)
{
	if (s->oom)
		return;
	if (s->n + n + 1 > s->cap) {
		size_t cap = (s->n + n + 1) * 2;
		char *np = realloc(s->p, cap);

		if (!np) {
			s->oom = true;
			return;
		}
		s->p = np;
		s->cap = cap;
	}
	memcpy(s->p + s->n, d, n);
	s->n += n;
}

static void puts_(struct sbuf *s, const char *str)
{
	put(s, str, strlen(str));
}

/* The text being redacted, and where the pass is. */
struct scan {
	const struct redactor *r;
	enum rformat f;
	const char *b;
	size_t len;
	size_t *count;
	struct sbuf out;
};

static bool hexd(char c)
{
	return isxdigit((unsigned char)c);
}

static bool alnum(char c)
{
	return isalnum((unsigned char)c);
}

/* A character that continues a name: a word, a path, a dotted name. */
static bool namec(char c)
{
	return alnum(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == ':' || c == '=';
}

static char at(const struct scan *s, size_t i)
{
	return i < s->len ? s->b[i] : '\0';
}

/* b[i..i+n) stands alone: no letter or digit on either side. */
static bool alone(const struct scan *s, size_t i, size_t n)
{
	return (i == 0 || !alnum(s->b[i - 1])) && !alnum(at(s, i + n));
}

/* ---- MAC addresses ---- */

/* n hex pairs split by sep starting at i; returns the length or 0. */
static size_t hex_pairs(const struct scan *s, size_t i, char sep, unsigned n)
{
	size_t p = i;

	for (unsigned k = 0; k < n; k++) {
		if (!hexd(at(s, p)) || !hexd(at(s, p + 1)))
			return 0;
		p += 2;
		if (k + 1 < n) {
			if (at(s, p) != sep)
				return 0;
			p++;
		}
	}
	return p - i;
}

static size_t m_mac(struct scan *s, size_t i)
{
	static const unsigned sizes[] = { 20, 8, 7, 6 };	/* 7: PXE BOOTIF=01-... */
	size_t n = 0;
	bool letter = false;

	if (!hexd(s->b[i]) || (i && (alnum(s->b[i - 1]) || s->b[i - 1] == ':' || s->b[i - 1] == '-' ||
				     s->b[i - 1] == '.')))
		return 0;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]) && !n; k++) {
		char sep = at(s, i + 2);

		if (sep != ':' && sep != '-')
			break;
		n = hex_pairs(s, i, sep, sizes[k]);
		if (n && (alnum(at(s, i + n)) || at(s, i + n) == sep))
			n = 0;
	}
	if (!n && at(s, i + 4) == '.') {	/* 001b.21aa.bbcd */
		n = 14;
		for (size_t k = 0; k < 14; k++)
			if (k % 5 == 4 ? at(s, i + k) != '.' : !hexd(at(s, i + k)))
				n = 0;
		if (n && (alnum(at(s, i + n)) || at(s, i + n) == '.'))
			n = 0;
	}
	if (!n) {			/* 001b21aabbcc: 12 hex digits, a letter among them */
		for (size_t k = 0; k < 12; k++) {
			if (!hexd(at(s, i + k)))
				return 0;
			letter |= isalpha((unsigned char)at(s, i + k));
		}
		if (!letter || !alone(s, i, 12) || at(s, i + 12) == ':' || (i >= 2 && s->b[i - 1] == 'x'))
			return 0;
		n = 12;
	}
	for (size_t k = 0; k < n; k++)
		put(&s->out, hexd(s->b[i + k]) ? "X" : &s->b[i + k], 1);
	s->count[RK_MAC]++;
	return n;
}

/* ---- UUIDs ---- */

static size_t m_uuid(struct scan *s, size_t i)
{
	static const unsigned grp[] = { 8, 4, 4, 4, 12 };
	size_t p = i;

	if (!hexd(s->b[i]) || (i && (alnum(s->b[i - 1]) || s->b[i - 1] == '-')))
		return 0;
	for (size_t g = 0; g < 5; g++) {
		for (unsigned k = 0; k < grp[g]; k++, p++)
			if (!hexd(at(s, p)))
				return 0;
		if (g < 4 && at(s, p++) != '-')
			return 0;
	}
	if (alnum(at(s, p)) || at(s, p) == '-')
		return 0;
	puts_(&s->out, "REDACTED-UUID");
	s->count[RK_UUID]++;
	return p - i;
}

/* ---- IP addresses ---- */

static bool addr_char(char c)
{
	return hexd(c) || c == ':' || c == '.';
}

/* Overwrite each hex digit of b[i..i+n) with 'x'. */
static void x_out(struct scan *s, size_t i, size_t n)
{
	for (size_t k = 0; k < n; k++)
		put(&s->out, s->b[i + k] == '.' || s->b[i + k] == ':' ? &s->b[i + k] : "x", 1);
}

static bool is_ipv4(const char *p, size_t n)
{
	char tok[16];
	unsigned char bin[4];

	if (n < 7 || n >= sizeof(tok))
		return false;
	memcpy(tok, p, n);
	tok[n] = '\0';
	return inet_pton(AF_INET, tok, bin) == 1;
}

/*
 * A run of hex digits, ':' and '.' standing alone: an IPv6 address (two
 * ':' at least), an IPv4 address, or IPv4:port; the length does not
 * change (digits become 'x').  A trailing '.' or ':' is not part of it.
 */
static size_t m_ip(struct scan *s, size_t i)
{
	size_t j = i, n, colons = 0, dots = 0;
	unsigned char bin[16];
	char tok[64];

	if (!addr_char(s->b[i]) || s->b[i] == '.' || (i && (alnum(s->b[i - 1]) || s->b[i - 1] == '_' ||
							     s->b[i - 1] == '.' || s->b[i - 1] == ':')))
		return 0;
	while (j < s->len && addr_char(s->b[j]))
		j++;
	if (j < s->len && (alnum(s->b[j]) || s->b[j] == '_'))
		return 0;
	n = j - i;
	while (n && (s->b[i + n - 1] == '.' || (s->b[i + n - 1] == ':' && (n < 2 || s->b[i + n - 2] != ':'))))
		n--;
	if (n < 2 || n >= sizeof(tok))
		return 0;
	memcpy(tok, s->b + i, n);
	tok[n] = '\0';
	for (size_t k = 0; k < n; k++) {
		colons += tok[k] == ':';
		dots += tok[k] == '.';
	}
	if (colons + dots == n)
		return 0;
	if (colons >= 2 && inet_pton(AF_INET6, tok, bin) == 1) {
		x_out(s, i, n);
		s->count[RK_IPV6]++;
		return n;
	}
	if (dots == 3 && colons <= 1) {
		size_t head = colons ? (size_t)(strchr(tok, ':') - tok) : n;

		if (!is_ipv4(tok, head))
			return 0;
		x_out(s, i, head);
		s->count[RK_IPV4]++;
		return head;
	}
	return 0;
}

/* ---- names ---- */

static bool in_vocabulary(const char *w)
{
	for (size_t k = 0; k < sizeof(vocabulary) / sizeof(vocabulary[0]); k++)
		if (!strcasecmp(w, vocabulary[k]))
			return true;
	return false;
}

/* The length of the name (letters, digits, '.', '-', '_') at i. */
static size_t name_len(const struct scan *s, size_t i)
{
	size_t n = 0;

	while (alnum(at(s, i + n)) || at(s, i + n) == '-' || at(s, i + n) == '_' || at(s, i + n) == '.')
		n++;
	while (n && s->b[i + n - 1] == '.')
		n--;
	return n;
}

/* A field that names the host or a user: the name that follows is redacted. */
static size_t m_field(struct scan *s, size_t i)
{
	static const struct { const char *prefix; const char *rep; enum rkind kind; } fields[] = {
		{ "Hostname set to <", "REDACTED-HOSTNAME", RK_HOSTNAME },
		{ "host name to '", "REDACTED-HOSTNAME", RK_HOSTNAME },
		{ "hostname=", "REDACTED-HOSTNAME", RK_HOSTNAME },
		{ "/home/", "REDACTED-USER", RK_USER },
		{ "\\/home\\/", "REDACTED-USER", RK_USER },
		{ "acct=\"", "REDACTED-USER", RK_USER },
	};

	for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
		size_t pl, n;

		if (s->b[i] != fields[k].prefix[0])
			continue;
		pl = strlen(fields[k].prefix);
		if (i + pl > s->len || memcmp(s->b + i, fields[k].prefix, pl))
			continue;
		if (k == 2 && i && (alnum(s->b[i - 1]) || s->b[i - 1] == '_' || s->b[i - 1] == '.'))
			continue;
		n = name_len(s, i + pl);
		if (!n || (fields[k].kind == RK_USER && !strncmp(s->b + i + pl, "REDACTED", 8)))
			continue;
		put(&s->out, s->b + i, pl);
		puts_(&s->out, fields[k].rep);
		s->count[fields[k].kind]++;
		return pl + n;
	}
	return 0;
}

/* A dotted name that is the host's FQDN or ends in its domain. */
static size_t m_domain(struct scan *s, size_t i)
{
	size_t n, dl = strlen(s->r->domain);

	if (!dl || !alnum(s->b[i]) || (i && (namec(s->b[i - 1]) && s->b[i - 1] != ':')))
		return 0;
	n = name_len(s, i);
	if (n < dl || strncasecmp(s->b + i + n - dl, s->r->domain, dl) ||
	    (n > dl && s->b[i + n - dl - 1] != '.'))
		return 0;
	puts_(&s->out, n > dl ? "REDACTED-HOSTNAME.REDACTED-DOMAIN" : "REDACTED-DOMAIN");
	s->count[n > dl ? RK_HOSTNAME : RK_DOMAIN]++;
	return n;
}

/* A known name as a bare word: nothing that continues a name on either side. */
static size_t bare(struct scan *s, size_t i, const char *w, const char *rep, size_t kind)
{
	size_t n;

	if (i >= s->len || s->b[i] != w[0])
		return 0;
	n = strlen(w);
	/* a short name is too likely a word of the text */
	if (n < 3 || i + n > s->len || memcmp(s->b + i, w, n) || (i && namec(s->b[i - 1])) ||
	    namec(at(s, i + n)) || in_vocabulary(w))
		return 0;
	puts_(&s->out, rep);
	s->count[kind]++;
	return n;
}

static size_t m_words(struct scan *s, size_t i)
{
	size_t n;

	if ((i && namec(s->b[i - 1])) || !(alnum(s->b[i]) || s->b[i] == '_' || s->b[i] == '-'))
		return 0;
	for (size_t k = 0; k < REDACT_NSECRET; k++)
		if (s->r->secret[k] && strlen(s->r->secret[k]) >= 4 &&
		    (n = bare(s, i, s->r->secret[k], "REDACTED", RK_NKINDS + k)))
			return n;
	if ((n = bare(s, i, s->r->hostname, "REDACTED-HOSTNAME", RK_HOSTNAME)))
		return n;
	for (size_t k = 0; k < s->r->nusers; k++)
		if ((n = bare(s, i, s->r->users[k], "REDACTED-USER", RK_USER)))
			return n;
	return 0;
}

/* ip=CLIENT:SERVER:GATEWAY:NETMASK:HOSTNAME:DEVICE:AUTOCONF:DNS0:DNS1:NTP */
static size_t m_ip_param(struct scan *s, size_t i)
{
	size_t p = i + 3, field = 0;

	if (i + 3 > s->len || memcmp(s->b + i, "ip=", 3) || (i && !isspace((unsigned char)s->b[i - 1])))
		return 0;
	put(&s->out, "ip=", 3);
	while (p < s->len && !isspace((unsigned char)s->b[p])) {
		size_t e = p;

		while (e < s->len && s->b[e] != ':' && !isspace((unsigned char)s->b[e]))
			e++;
		if (field == 4 && e > p) {
			puts_(&s->out, "REDACTED-HOSTNAME");
			s->count[RK_HOSTNAME]++;
		} else if (is_ipv4(s->b + p, e - p)) {
			x_out(s, p, e - p);
			s->count[RK_IPV4]++;
		} else {
			put(&s->out, s->b + p, e - p);
		}
		p = e;
		if (p < s->len && s->b[p] == ':') {
			put(&s->out, ":", 1);
			p++;
			field++;
		}
	}
	return p - i;
}

typedef size_t matcher(struct scan *s, size_t i);
static matcher *const matchers[] = { m_ip_param, m_field, m_domain, m_uuid, m_mac, m_ip, m_words };

void redact_text(const struct redactor *r, enum rformat f, char **buf, size_t *len,
		 size_t count[REDACT_NCOUNTS])
{
	struct scan s = { .r = r, .f = f, .b = *buf, .len = *len, .count = count };
	size_t before[REDACT_NCOUNTS], changed = 0;

	if (f == RF_NONE || !*buf)
		return;
	memcpy(before, count, sizeof(before));
	for (size_t i = 0; i < s.len;) {
		size_t n = 0;

		/* every match starts with a letter, a digit or one of these */
		if (alnum(s.b[i]) || strchr(":/\\_-", s.b[i]))
			for (size_t k = 0; k < sizeof(matchers) / sizeof(matchers[0]) && !n; k++)
				n = matchers[k](&s, i);
		if (!n)
			put(&s.out, s.b + i++, 1);
		i += n;
	}
	for (int k = 0; k < REDACT_NCOUNTS; k++)
		changed += count[k] - before[k];
	if (s.out.oom || !changed) {
		free(s.out.p);
		memcpy(count, before, sizeof(before));
		return;
	}
	s.out.p[s.out.n] = '\0';
	free(*buf);
	*buf = s.out.p;
	*len = s.out.n;
}

enum rformat redact_format(const char *path)
{
	size_t n = strlen(path);

	while (*path == '/')
		path++;
	if (!strcmp(path, "proc/cmdline") ||
	    (!strncmp(path, "sys/module/", 11) && strstr(path, "/parameters/")))
		return RF_CMDLINE;
	if (!strcmp(path, "dev/kmsg") || (n > 5 && !strcmp(path + strlen(path) - 5, ".json")))
		return RF_TEXT;
	return RF_NONE;
}

void redact_set_host(struct redactor *r, const char *hostname, const char *domainname)
{
	const char *dot = strchr(hostname, '.');

	r->hostname[0] = r->domain[0] = '\0';
	if (!hostname[0] || !strcmp(hostname, "(none)") || !strcmp(hostname, "localhost"))
		return;
	snprintf(r->hostname, sizeof(r->hostname), "%.*s", dot ? (int)(dot - hostname) : (int)strlen(hostname),
		 hostname);
	if (dot && dot[1])
		snprintf(r->domain, sizeof(r->domain), "%s", dot + 1);
	else if (domainname && domainname[0] && strcmp(domainname, "(none)"))
		snprintf(r->domain, sizeof(r->domain), "%s", domainname);
}

void redact_free(struct redactor *r)
{
	for (size_t i = 0; i < REDACT_NSECRET; i++)
		free(r->secret[i]);
	for (size_t i = 0; i < r->nusers; i++)
		free(r->users[i]);
	free(r->users);
	memset(r, 0, sizeof(*r));
}
