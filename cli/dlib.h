/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dlib.h - the optional libraries, loaded (dlopen) by the code that needs
 * them, so that every other command starts without them:
 *
 *   libarchive      diag: writes and reads the bundle
 *   libsystemd      the kernel log from the journal, when /dev/kmsg may
 *                   not be read (kmsg.c)
 *   libnl-genl-3    monitor: the driver's generic netlink family
 *
 * The callers keep calling the libraries' functions by their own names:
 * dlib.c defines each one as a call through the pointer dlsym() gave.
 * Call the loader first; calling a function of a library that is not
 * loaded is a bug.  The executable lists each library in a .note.dlopen
 * ELF note (https://systemd.io/ELF_DLOPEN_METADATA/).
 */
#ifndef TDXCTL_DLIB_H
#define TDXCTL_DLIB_H

enum dlib {
	DLIB_ARCHIVE,
	DLIB_JOURNAL,
	DLIB_NL,
	DLIB_COUNT
};

/*
 * Load the library and resolve every function tdxctl uses from it, once:
 * 0, or -ELIBACC (it could not be loaded) or -ELIBBAD (a function is
 * missing), the same answer on each later call.  On failure nothing of
 * it stays loaded and dl_error() says why.
 */
int dl_load(enum dlib lib);
/* "libarchive (libarchive.so.13): <dlerror()'s words>", or "" */
const char *dl_error(enum dlib lib);
/* The Debian packages that provide the library */
const char *dl_package(enum dlib lib);
/*
 * A command that cannot work without the library: 0 when it is loaded,
 * else the error is reported ("COMMAND needs ...", hint: install ...)
 * and the exit code returned (EXIT_NOTSUP).
 */
int dl_need(enum dlib lib, const char *command);

static inline int dl_archive(void) { return dl_load(DLIB_ARCHIVE); }
static inline int dl_journal(void) { return dl_load(DLIB_JOURNAL); }
static inline int dl_nl(void) { return dl_load(DLIB_NL); }

#endif
