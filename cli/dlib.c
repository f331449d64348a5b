// SPDX-License-Identifier: GPL-2.0-only
/*
 * dlib.c - libarchive, libsystemd and libnl-genl-3, loaded with dlopen()
 * by the code that needs them (dlib.h).
 *
 * Each function tdxctl calls is defined here under its own name, with the
 * prototype of the library's header (the compiler holds the two to each
 * other), as a call through a pointer that dl_load() fills with dlsym():
 * every pointer of a library at once, or none.  tdxctl is linked without
 * -rdynamic, so these definitions are not in its dynamic symbol table and
 * the libraries' own calls never land here.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-id128.h>
#include <systemd/sd-journal.h>

#include "dlib.h"
#include "print.h"
#include "tdxctl.h"

#define SONAME_ARCHIVE	"libarchive.so.13"
#define SONAME_NETTLE	"libnettle.so.8"
#define SONAME_SYSTEMD	"libsystemd.so.0"
#define SONAME_NL	"libnl-3.so.200"
#define SONAME_NL_GENL	"libnl-genl-3.so.200"

/* ---- .note.dlopen: the libraries, for packagers ---- */

/*
 * One ELF note (type 0x407c0c0a, owner "FDO") in section .note.dlopen per
 * library: the header, the owner, then the JSON array, NUL-terminated and
 * padded with NULs to 4 bytes (https://systemd.io/ELF_DLOPEN_METADATA/).
 * The alignment is given, so the compiler does not raise it: the notes
 * follow each other with no gap, as a note section must.
 */
#define DL_NOTE_OWNER	"FDO"
#define DL_NOTE_TYPE	0x407c0c0au
#define DL_Q(s)		"\"" s "\""

#define DL_NOTE(id, feature, description, priority, sonames)			\
	static const struct {							\
		uint32_t namesz, descsz, type;					\
		char owner[sizeof(DL_NOTE_OWNER)];				\
		char json[(sizeof(DL_NOTE_JSON(feature, description, priority,	\
					       sonames)) + 3) & ~(size_t)3];	\
	} dl_note_##id __attribute__((used, aligned(4), section(".note.dlopen"))) = { \
		.namesz = sizeof(DL_NOTE_OWNER),				\
		.descsz = sizeof(DL_NOTE_JSON(feature, description, priority, sonames)), \
		.type = DL_NOTE_TYPE,						\
		.owner = DL_NOTE_OWNER,						\
		.json = DL_NOTE_JSON(feature, description, priority, sonames),	\
	}
#define DL_NOTE_JSON(feature, description, priority, sonames)			\
	"[{\"feature\":" DL_Q(feature) ",\"description\":" DL_Q(description)	\
	",\"priority\":" DL_Q(priority) ",\"soname\":[" sonames "]}]"

_Static_assert(sizeof(DL_NOTE_OWNER) % 4 == 0, "the note's owner is not padded");

DL_NOTE(archive, "archive", "diag: writing and verifying support bundles (tar, gzip, SHA-256)",
	"recommended", DL_Q(SONAME_ARCHIVE) "," DL_Q(SONAME_NETTLE));
DL_NOTE(journal, "journal",
	"the kernel log from the systemd journal when /dev/kmsg may not be read",
	"suggested", DL_Q(SONAME_SYSTEMD));
DL_NOTE(netlink, "netlink", "monitor: the driver's events over generic netlink",
	"recommended", DL_Q(SONAME_NL) "," DL_Q(SONAME_NL_GENL));

/* ---- the functions ---- */

/*
 * F(return type, name, (parameters), (arguments)): a function returning a
 * value; V(name, (parameters), (arguments)): one returning nothing;
 * R(name): resolved, called only from this file.
 */
#define ARCHIVE_SYMS(F, V, R)							\
	V(nettle_sha256_digest, (struct sha256_ctx *c, size_t n, uint8_t *d), (c, n, d)) \
	V(nettle_sha256_init, (struct sha256_ctx *c), (c))			\
	V(nettle_sha256_update, (struct sha256_ctx *c, size_t n, const uint8_t *d), (c, n, d)) \
	F(__LA_MODE_T, archive_entry_filetype, (struct archive_entry *e), (e))	\
	V(archive_entry_free, (struct archive_entry *e), (e))			\
	F(const char *, archive_entry_hardlink, (struct archive_entry *e), (e))	\
	F(struct archive_entry *, archive_entry_new, (void), ())		\
	F(const char *, archive_entry_pathname, (struct archive_entry *e), (e))	\
	V(archive_entry_set_filetype, (struct archive_entry *e, unsigned int t), (e, t)) \
	V(archive_entry_set_mtime, (struct archive_entry *e, time_t t, long ns), (e, t, ns)) \
	V(archive_entry_set_pathname, (struct archive_entry *e, const char *p), (e, p)) \
	V(archive_entry_set_perm, (struct archive_entry *e, __LA_MODE_T m), (e, m)) \
	V(archive_entry_set_size, (struct archive_entry *e, la_int64_t s), (e, s)) \
	F(const char *, archive_entry_symlink, (struct archive_entry *e), (e))	\
	F(int, archive_errno, (struct archive *a), (a))				\
	F(const char *, archive_error_string, (struct archive *a), (a))		\
	F(la_ssize_t, archive_read_data, (struct archive *a, void *buf, size_t n), (a, buf, n)) \
	F(int, archive_read_data_skip, (struct archive *a), (a))		\
	F(int, archive_read_free, (struct archive *a), (a))			\
	F(struct archive *, archive_read_new, (void), ())			\
	F(int, archive_read_next_header, (struct archive *a, struct archive_entry **e), (a, e)) \
	F(int, archive_read_open_filename, (struct archive *a, const char *f, size_t bs), (a, f, bs)) \
	F(int, archive_read_open_memory, (struct archive *a, const void *buf, size_t n), (a, buf, n)) \
	F(int, archive_read_support_filter_all, (struct archive *a), (a))	\
	F(int, archive_read_support_filter_gzip, (struct archive *a), (a))	\
	F(int, archive_read_support_format_raw, (struct archive *a), (a))	\
	F(int, archive_read_support_format_tar, (struct archive *a), (a))	\
	F(int, archive_write_add_filter_gzip, (struct archive *a), (a))	\
	F(int, archive_write_close, (struct archive *a), (a))			\
	F(la_ssize_t, archive_write_data, (struct archive *a, const void *buf, size_t n), (a, buf, n)) \
	F(int, archive_write_free, (struct archive *a), (a))			\
	F(int, archive_write_header, (struct archive *a, struct archive_entry *e), (a, e)) \
	F(struct archive *, archive_write_new, (void), ())			\
	F(int, archive_write_open_fd, (struct archive *a, int fd), (a, fd))	\
	F(int, archive_write_set_format_pax_restricted, (struct archive *a), (a))

#define JOURNAL_SYMS(F, V, R)							\
	F(int, sd_id128_from_string, (const char *s, sd_id128_t *ret), (s, ret)) \
	F(int, sd_id128_get_boot, (sd_id128_t *ret), (ret))			\
	F(char *, sd_id128_to_string,						\
	  (sd_id128_t id, char s[_SD_ARRAY_STATIC SD_ID128_STRING_MAX]), (id, s)) \
	F(int, sd_journal_add_match, (sd_journal *j, const void *data, size_t size), (j, data, size)) \
	V(sd_journal_close, (sd_journal *j), (j))				\
	F(int, sd_journal_get_data,						\
	  (sd_journal *j, const char *field, const void **data, size_t *len), (j, field, data, len)) \
	F(int, sd_journal_next, (sd_journal *j), (j))				\
	F(int, sd_journal_open, (sd_journal **ret, int flags), (ret, flags))	\
	F(int, sd_journal_open_files_fd, (sd_journal **ret, int fds[], unsigned n_fds, int flags), \
	  (ret, fds, n_fds, flags))						\
	F(int, sd_journal_seek_head, (sd_journal *j), (j))

#define NL_SYMS(F, V, R)							\
	F(int, genl_connect, (struct nl_sock *sk), (sk))			\
	F(int, genl_ctrl_resolve, (struct nl_sock *sk, const char *name), (sk, name)) \
	F(int, genl_ctrl_resolve_grp, (struct nl_sock *sk, const char *family, const char *grp), \
	  (sk, family, grp))							\
	F(int, genlmsg_parse, (struct nlmsghdr *h, int hdrlen, struct nlattr **tb, int maxtype, \
			       const struct nla_policy *policy), (h, hdrlen, tb, maxtype, policy)) \
	F(void *, genlmsg_put, (struct nl_msg *msg, uint32_t port, uint32_t seq, int family, \
				int hdrlen, int flags, uint8_t cmd, uint8_t version), \
	  (msg, port, seq, family, hdrlen, flags, cmd, version))		\
	F(struct nl_cb *, nl_cb_alloc, (enum nl_cb_kind kind), (kind))		\
	F(int, nl_cb_err, (struct nl_cb *cb, enum nl_cb_kind kind, nl_recvmsg_err_cb_t fn, void *arg), \
	  (cb, kind, fn, arg))							\
	V(nl_cb_put, (struct nl_cb *cb), (cb))					\
	F(int, nl_cb_set, (struct nl_cb *cb, enum nl_cb_type type, enum nl_cb_kind kind, \
			   nl_recvmsg_msg_cb_t fn, void *arg), (cb, type, kind, fn, arg)) \
	F(const char *, nl_geterror, (int err), (err))				\
	F(int, nl_recvmsgs, (struct nl_sock *sk, struct nl_cb *cb), (sk, cb))	\
	F(int, nl_send_auto, (struct nl_sock *sk, struct nl_msg *msg), (sk, msg)) \
	R(nl_socket_add_membership)						\
	F(struct nl_sock *, nl_socket_alloc, (void), ())			\
	V(nl_socket_free, (struct nl_sock *sk), (sk))				\
	F(int, nl_socket_get_fd, (const struct nl_sock *sk), (sk))		\
	F(int, nl_socket_set_buffer_size, (struct nl_sock *sk, int rx, int tx), (sk, rx, tx)) \
	F(int, nl_socket_set_nonblocking, (const struct nl_sock *sk), (sk))	\
	F(void *, nla_data, (const struct nlattr *nla), (nla))			\
	F(uint16_t, nla_get_u16, (const struct nlattr *nla), (nla))		\
	F(uint32_t, nla_get_u32, (const struct nlattr *nla), (nla))		\
	F(uint64_t, nla_get_u64, (const struct nlattr *nla), (nla))		\
	F(uint8_t, nla_get_u8, (const struct nlattr *nla), (nla))		\
	F(int, nla_parse, (struct nlattr **tb, int maxtype, struct nlattr *head, int len, \
			   const struct nla_policy *policy), (tb, maxtype, head, len, policy)) \
	F(struct nl_msg *, nlmsg_alloc, (void), ())				\
	F(void *, nlmsg_data, (const struct nlmsghdr *h), (h))			\
	V(nlmsg_free, (struct nl_msg *msg), (msg))				\
	F(struct nlmsghdr *, nlmsg_hdr, (struct nl_msg *msg), (msg))

/* the pointers, typed by the headers' declarations, and the definitions */
#define DEF_F(ret, name, params, args)						\
	static __typeof__(name) *sym_##name;					\
	ret name params { return sym_##name args; }
#define DEF_V(name, params, args)						\
	static __typeof__(name) *sym_##name;					\
	void name params { sym_##name args; }
#define DEF_R(name)								\
	static __typeof__(name) *sym_##name;

ARCHIVE_SYMS(DEF_F, DEF_V, DEF_R)
JOURNAL_SYMS(DEF_F, DEF_V, DEF_R)
NL_SYMS(DEF_F, DEF_V, DEF_R)

/* variadic: the group list, one group at a time (what libnl does) */
int nl_socket_add_memberships(struct nl_sock *sk, int group, ...)
{
	va_list ap;
	int err = 0;

	va_start(ap, group);
	for (; group; group = va_arg(ap, int)) {
		err = sym_nl_socket_add_membership(sk, group);
		if (err < 0)
			break;
	}
	va_end(ap);
	return err;
}

struct dl_sym {
	const char *name;
	void **fp;	/* POSIX: a function pointer is stored as a void * */
};

#define TAB_F(ret, name, params, args)	{ #name, (void **)&sym_##name },
#define TAB_V(name, params, args)	{ #name, (void **)&sym_##name },
#define TAB_R(name)			{ #name, (void **)&sym_##name },

static const struct dl_sym archive_syms[] = { ARCHIVE_SYMS(TAB_F, TAB_V, TAB_R) };
static const struct dl_sym journal_syms[] = { JOURNAL_SYMS(TAB_F, TAB_V, TAB_R) };
static const struct dl_sym nl_syms[] = { NL_SYMS(TAB_F, TAB_V, TAB_R) };

/* ---- loading ---- */

#define DL_MAX_SONAMES 2

static struct dl_lib {
	const char *name;
	const char *sonames[DL_MAX_SONAMES];	/* dlopen()ed in this order */
	const char *package;
	const struct dl_sym *syms;
	size_t nsyms;
	void *handle[DL_MAX_SONAMES];
	int state;			/* 0: not tried, 1: loaded, -errno */
	char why[384];
} libs[DLIB_COUNT] = {
	[DLIB_ARCHIVE] = { "libarchive", { SONAME_ARCHIVE, SONAME_NETTLE }, "libarchive13 and libnettle8",
			   archive_syms, sizeof(archive_syms) / sizeof(archive_syms[0]) },
	[DLIB_JOURNAL] = { "libsystemd", { SONAME_SYSTEMD }, "libsystemd0",
			   journal_syms, sizeof(journal_syms) / sizeof(journal_syms[0]) },
	[DLIB_NL] = { "libnl-genl-3", { SONAME_NL, SONAME_NL_GENL }, "libnl-3-200 and libnl-genl-3-200",
		      nl_syms, sizeof(nl_syms) / sizeof(nl_syms[0]) },
};

static void unload(struct dl_lib *l)
{
	for (size_t i = 0; i < l->nsyms; i++)
		*l->syms[i].fp = NULL;
	for (int i = DL_MAX_SONAMES - 1; i >= 0; i--) {
		if (l->handle[i])
			dlclose(l->handle[i]);
		l->handle[i] = NULL;
	}
}

/* "libarchive (libarchive.so.13): " */
static int lib_prefix(const struct dl_lib *l, char *buf, size_t size)
{
	return snprintf(buf, size, "%s (%s%s%s): ", l->name, l->sonames[0],
			l->sonames[1] ? ", " : "", l->sonames[1] ? l->sonames[1] : "");
}

int dl_load(enum dlib lib)
{
	struct dl_lib *l = &libs[lib];
	int n;

	if (l->state)
		return l->state < 0 ? l->state : 0;
	n = lib_prefix(l, l->why, sizeof(l->why));
	if (n < 0 || (size_t)n >= sizeof(l->why))
		n = 0;
	for (int i = 0; i < DL_MAX_SONAMES && l->sonames[i]; i++) {
		l->handle[i] = dlopen(l->sonames[i], RTLD_NOW | RTLD_LOCAL);
		if (!l->handle[i]) {
			const char *e = dlerror();

			snprintf(l->why + n, sizeof(l->why) - (size_t)n, "%s",
				 e ? e : "cannot be loaded");
			unload(l);
			return l->state = -ELIBACC;
		}
	}
	for (size_t s = 0; s < l->nsyms; s++) {
		const char *e = NULL;

		for (int i = DL_MAX_SONAMES - 1; i >= 0 && !*l->syms[s].fp; i--) {
			if (!l->handle[i])
				continue;
			dlerror();
			*l->syms[s].fp = dlsym(l->handle[i], l->syms[s].name);
			e = dlerror();
		}
		if (!*l->syms[s].fp) {
			snprintf(l->why + n, sizeof(l->why) - (size_t)n, "%s",
				 e ? e : "a function is missing");
			unload(l);
			return l->state = -ELIBBAD;
		}
	}
	l->why[0] = '\0';
	dbg("loaded %s (%zu functions)", l->name, l->nsyms);
	l->state = 1;
	return 0;
}

const char *dl_error(enum dlib lib)
{
	return libs[lib].why;
}

const char *dl_package(enum dlib lib)
{
	return libs[lib].package;
}

int dl_need(enum dlib lib, const char *command)
{
	char hint[128];
	int err = dl_load(lib);

	if (!err)
		return 0;
	snprintf(hint, sizeof(hint), "install %s", libs[lib].package);
	pr_error(EXIT_NOTSUP, errno_name(err), hint, "%s needs %s", command, libs[lib].why);
	return EXIT_NOTSUP;
}
