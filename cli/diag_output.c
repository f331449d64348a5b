// SPDX-License-Identifier: GPL-2.0-only
/*
 * diag_output.c - where a diag bundle is written.  Never into an existing
 * file or through a link: the archive goes to a new temporary file in the
 * destination's directory (O_EXCL, mode 0600), and only once it is whole
 * (closed, synced) does it take its name: rename() for -o FILE (a link
 * there is replaced, never followed), link() for the default name, which
 * never replaces anything and takes a "-2", "-3"... suffix when a bundle
 * of the same second is there.  On any error, or a SIGINT/SIGTERM/SIGHUP,
 * the temporary file is removed: nothing partial is left behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "print.h"
#include "tdxctl.h"

static volatile sig_atomic_t have_tmp;
static char tmp_path[PATH_MAX];

static void on_signal(int sig)
{
	if (have_tmp)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void guard(bool on)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on ? on_signal : SIG_DFL };

	have_tmp = on;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static int open_error(const char *name, int e)
{
	int rc = e == EACCES || e == EPERM || e == EROFS ? EXIT_PERM : EXIT_FAILED;

	pr_error(rc, errno_name(e), NULL, "%s: %s", name, strerror(e));
	return -rc;
}

/* -o FILE replaces a regular file or a link, nothing else (a device, a
 * FIFO, a directory); 0 or an errno. */
static int replaceable(const char *name)
{
	struct stat st;

	if (lstat(name, &st) < 0)
		return errno == ENOENT ? 0 : errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	return S_ISREG(st.st_mode) || S_ISLNK(st.st_mode) ? 0 : EEXIST;
}

int out_open(struct diag_out *o, const char *arg, time_t now)
{
	const char *slash;
	struct tm tm;
	int fd;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	if (arg && !strcmp(arg, "-")) {
		if (isatty(STDOUT_FILENO)) {
			pr_error(EXIT_USAGE, NULL, "redirect it to a file, or use -o FILE",
				 "-o -: standard output is a terminal");
			return -EXIT_USAGE;
		}
		snprintf(o->name, sizeof(o->name), "-");
		o->fd = STDOUT_FILENO;
		return 0;
	}
	if (arg) {
		int e;

		if (snprintf(o->name, sizeof(o->name), "%s", arg) >= (int)sizeof(o->name))
			return open_error(arg, ENAMETOOLONG);
		if ((e = replaceable(o->name)) == EEXIST) {
			pr_error(EXIT_FAILED, "EEXIST", "name a regular file, or use -o - for standard output",
				 "%s: not a regular file: a bundle never replaces a device, a FIFO or a socket",
				 o->name);
			return -EXIT_FAILED;
		}
		if (e)
			return open_error(o->name, e);
	} else {
		gmtime_r(&now, &tm);
		strftime(o->name, sizeof(o->name), "tdxctl-diag-%Y%m%dT%H%M%SZ.tar.gz", &tm);
		o->default_name = true;
	}
	slash = strrchr(o->name, '/');
	if (snprintf(tmp_path, sizeof(tmp_path), "%.*s.tdxctl-diag-XXXXXX.tmp",
		     slash ? (int)(slash - o->name + 1) : 0, o->name) >= (int)sizeof(tmp_path))
		return open_error(o->name, ENAMETOOLONG);
	/* identifying data: the owner only (mkostemps: O_EXCL, 0600) */
	fd = mkostemps(tmp_path, 4, O_CLOEXEC);
	if (fd < 0)
		return open_error(o->name, errno);
	guard(true);
	o->fd = fd;
	return 0;
}

void out_abort(struct diag_out *o)
{
	if (o->fd >= 0 && o->fd != STDOUT_FILENO)
		close(o->fd);
	o->fd = -1;
	if (have_tmp)
		unlink(tmp_path);
	guard(false);
}

/* The default name, or the first free NAME-N.tar.gz: link() never replaces. */
static int link_unique(struct diag_out *o)
{
	char base[PATH_MAX], try[PATH_MAX];
	size_t bl = strlen(o->name) - strlen(".tar.gz");

	snprintf(base, sizeof(base), "%.*s", (int)bl, o->name);
	for (unsigned k = 1; k < 1000; k++) {
		if (k == 1)
			snprintf(try, sizeof(try), "%s", o->name);
		else if (snprintf(try, sizeof(try), "%s-%u.tar.gz", base, k) >= (int)sizeof(try))
			return ENAMETOOLONG;
		if (link(tmp_path, try) == 0) {
			memcpy(o->name, try, sizeof(try));
			unlink(tmp_path);
			return 0;
		}
		if (errno != EEXIST)
			return errno;
	}
	return EEXIST;
}

int out_commit(struct diag_out *o)
{
	int err = 0;

	if (o->fd == STDOUT_FILENO) {
		o->fd = -1;
		return fflush(stdout) ? errno : 0;
	}
	if (fsync(o->fd) < 0 && errno != EINVAL)
		err = errno;
	if (close(o->fd) < 0 && !err)
		err = errno;
	o->fd = -1;
	if (!err) {
		if (o->default_name)
			err = link_unique(o);
		else if (!(err = replaceable(o->name)) && rename(tmp_path, o->name) < 0)
			err = errno;
	}
	if (err)
		unlink(tmp_path);
	guard(false);
	return err;
}
