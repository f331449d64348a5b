/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * redact.h - diag's redaction: identifiers are replaced where they are,
 * by the field a file gives them and by their format, never as any word
 * that happens to match, so that no verdict read from a bundle changes.
 *
 * What is redacted where (tdxctl(8), diag, has the same table):
 *
 *   file                          what
 *   sys/class/dmi/id/ serials,    the whole value (REDACTED)
 *     UUID, asset tags
 *   proc/cmdline, module          ip= (client, server, gateway, netmask,
 *     parameters (RF_CMDLINE)     DNS: IPv4 format; the hostname field);
 *                                 every format below
 *   dev/kmsg (RF_TEXT), the       every format below; the hostname and
 *     JSON of version, status     the login names of /etc/passwd as bare
 *     and check (RF_TEXT)         words (not next to '/', '.', ':', '_',
 *                                 '-', '=', 3 characters at least, not a
 *                                 word of TDX/KVM or of the TDX log lines)
 *   everything else (cpuinfo,     nothing: these are the evidence
 *     sysfs, MSRs, config)
 *
 *   formats: "Hostname set to <X>" and hostname=X; the host's FQDN and
 *   any name in its domain; /home/NAME (any NAME); acct="NAME"; MACs
 *   (aa:bb:.., aa-bb-.. of 6, 7, 8 or 20 bytes, 001b.21aa.bbcd,
 *   001b21aabbcc); IPv4 (also ip:port) and IPv6; UUIDs in either case;
 *   the DMI serials' values.
 */
#ifndef TDXCTL_REDACT_H
#define TDXCTL_REDACT_H

#include <stdbool.h>
#include <stddef.h>

enum rformat {
	RF_NONE,	/* evidence: left as it is */
	RF_CMDLINE,	/* key=value words: proc/cmdline, module parameters */
	RF_TEXT,	/* free text: the kernel log, the captured JSON */
};

enum rkind {
	RK_HOSTNAME, RK_DOMAIN, RK_USER, RK_MAC, RK_IPV4, RK_IPV6, RK_UUID,
	RK_NKINDS
};
extern const char *const rkind_name[RK_NKINDS];

/* counts: one per kind, then one per secret (RK_NKINDS + k: secret_name[k]) */
#define REDACT_NSECRET 8
#define REDACT_NCOUNTS (RK_NKINDS + REDACT_NSECRET)
struct redactor {
	char hostname[256];	/* short name, "" if unknown */
	char domain[256];	/* the domain of its FQDN, "" if none */
	char *secret[REDACT_NSECRET];	/* DMI values, NULL if none */
	const char *secret_name[REDACT_NSECRET];
	char **users;		/* login names with a home below /home */
	size_t nusers;
};

/* The format of a bundle path ("proc/cmdline", "dev/kmsg", ...). */
enum rformat redact_format(const char *path);
/* Redact text (a malloc'd buffer, replaced when it changes); counts per
 * kind are added to count[]. */
void redact_text(const struct redactor *r, enum rformat f, char **buf, size_t *len,
		 size_t count[REDACT_NCOUNTS]);
/* Set the host's name from the text of proc/sys/kernel/hostname (and
 * domainname, NULL if none). */
void redact_set_host(struct redactor *r, const char *hostname, const char *domainname);
void redact_free(struct redactor *r);

#endif
