// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_sysroot.c - a replayed tree is read inside its root only: hostile
 * links, FIFOs and device nodes are built at test time in a temp dir, and
 * every read is checked with openat2() and with the component walk used
 * where openat2() is missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "sysroot.h"
#include "tdxctl.h"
#include "tap.h"

static char top[PATH_MAX];

static void mk(const char *rel, const char *text)
{
	char p[PATH_MAX * 2], dir[PATH_MAX * 2], *s;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	snprintf(dir, sizeof(dir), "%s", p);
	for (s = dir + strlen(top) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(dir, 0755);
		*s = '/';
	}
	if (text) {
		f = fopen(p, "w");
		if (!f || fputs(text, f) < 0 || fclose(f)) {
			printf("Bail out! cannot write %s\n", p);
			exit(1);
		}
	}
}

static void ln(const char *target, const char *rel)
{
	char p[PATH_MAX * 2];

	mk(rel, NULL);
	snprintf(p, sizeof(p), "%s/%s", top, rel);
	if (symlink(target, p)) {
		printf("Bail out! symlink %s: %s\n", p, strerror(errno));
		exit(1);
	}
}

/* The host's own text of a file, to be sure it never shows. */
static void host_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, (int)len, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

#define NCHECKS 19

/* A check on a character node, skipped where mknod is not allowed. */
static void chr_ok(bool have, int fd, int want, const char *mode, const char *what)
{
	if (have)
		ok(fd == want, "%s: %s (%d)", mode, what, fd);
	else
		ok(1, "# SKIP %s: mknod needs CAP_MKNOD", mode);
	if (fd >= 0)
		close(fd);
}

static void checks(const char *mode, const char *root, bool have_chr)
{
	char buf[4096], host[256];
	ssize_t n;
	int fd;
	time_t t0;

	sr_set(root);
	/* a link out of the tree by "..": resolves inside, to itself (a loop) */
	host_text("/proc/sys/kernel/osrelease", host, sizeof(host));
	n = sr_read("/proc/sys/kernel/osrelease", buf, sizeof(buf));
	ok(n == -ELOOP, "%s: osrelease -> ../../(x12)/proc/sys/kernel/osrelease is a loop inside the root (%zd)", mode, n);
	ok(n < 0 && !strstr(buf, host), "%s: the host's release (%s) never shows", mode, host);
	/* an absolute link: to the root's own /proc/cpuinfo, itself */
	n = sr_read("/proc/cpuinfo", buf, sizeof(buf));
	ok(n == -ELOOP && !strstr(buf, "processor"), "%s: cpuinfo -> /proc/cpuinfo never reads the host's (%zd)", mode, n);
	/* absolute and ".." links that land on a file of the tree read it */
	n = sr_read("/etc/abs", buf, sizeof(buf));
	is_str(n > 0 ? buf : "(error)", "inside", "%s: a link to /etc/inside reads <root>/etc/inside", mode);
	n = sr_read("/etc/up", buf, sizeof(buf));
	is_str(n > 0 ? buf : "(error)", "inside", "%s: ../../../../etc/inside stops at the root", mode);
	/* a directory link to / stays in the tree */
	n = sr_read("/hostroot/etc/passwd", buf, sizeof(buf));
	ok(n < 0 && !strstr(buf, "root:"), "%s: a directory link to / does not reach the host's /etc/passwd (%zd)", mode, n);
	ok(!sr_exists("/hostroot/etc/passwd"), "%s: nor does sr_exists() see it", mode);
	ok(sr_exists("/hostroot/etc/inside"), "%s: sr_exists() follows it inside the root", mode);
	n = sr_read("/sys/kernel/hostetc", buf, sizeof(buf));
	ok(n == -ENOENT, "%s: a link to /etc/hostname not in the tree: ENOENT (%zd)", mode, n);
	/* a magic link, if the tree had one: /proc/self/root */
	n = sr_read("/magic/etc/passwd", buf, sizeof(buf));
	ok(n < 0 && !strstr(buf, "root:"), "%s: a link to /proc/self/root stays inside (%zd)", mode, n);
	/* a FIFO: refused at once, never waited on */
	t0 = time(NULL);
	n = sr_read("/proc/fifo", buf, sizeof(buf));
	ok(n == -EINVAL && time(NULL) - t0 < 2, "%s: a FIFO is refused without blocking (%zd)", mode, n);
	/* a directory where a file is expected */
	n = sr_read("/etc", buf, sizeof(buf));
	ok(n == -EISDIR, "%s: a directory is not read as a file (%zd)", mode, n);
	/* dev/tdx_host: only a directory of replies opens */
	fd = sr_open_dir("/dev/tdx_host");
	ok(fd == -ELOOP || fd == -ENOTDIR, "%s: dev/tdx_host -> /dev/null: refused, not followed (%d)", mode, fd);
	if (fd >= 0)
		close(fd);
	fd = sr_open_dir("/dev/fifo_host");
	ok(fd == -ENOTDIR, "%s: a FIFO is no replay directory (%d)", mode, fd);
	if (fd >= 0)
		close(fd);
	fd = sr_open_dir("/dev/replies");
	ok(fd >= 0, "%s: a replay directory opens (%d)", mode, fd);
	if (fd >= 0)
		close(fd);
	chr_ok(have_chr, sr_open("/dev/null_node", O_RDONLY), -EINVAL, mode,
	       "a character node in a replayed tree is not opened as a file");
	chr_ok(have_chr, sr_open_dir("/dev/null_node"), -ENOTDIR, mode, "a character node is no replay directory");
	/* an ordinary file, through a relative link inside the tree */
	n = sr_read("/sys/class/dmi/id/sys_vendor", buf, sizeof(buf));
	is_str(n > 0 ? buf : "(error)", "Vendor", "%s: a relative link inside the tree is followed", mode);
	/* a loop of links */
	n = sr_read("/loop/a", buf, sizeof(buf));
	ok(n == -ELOOP, "%s: a loop of links: ELOOP (%zd)", mode, n);
}

int main(void)
{
	char root[PATH_MAX + 8], p[PATH_MAX * 2];
	const char *tmp = getenv("TMPDIR");
	bool have_chr;

	plan(2 * NCHECKS);
	snprintf(top, sizeof(top), "%s/tdxctl-sysroot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(top)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(root, sizeof(root), "%s", top);
	ln("../../../../../../../../../../../../proc/sys/kernel/osrelease", "proc/sys/kernel/osrelease");
	ln("/proc/cpuinfo", "proc/cpuinfo");
	mk("etc/inside", "inside\n");
	ln("/etc/inside", "etc/abs");
	ln("../../../../etc/inside", "etc/up");
	ln("/", "hostroot");
	ln("/etc/hostname", "sys/kernel/hostetc");
	ln("/proc/self/root", "magic");
	ln("/dev/null", "dev/tdx_host");
	mk("dev/replies/version", "");
	mk("sys/devices/virtual/dmi/id/sys_vendor", "Vendor\n");
	ln("../../devices/virtual/dmi/id", "sys/class/dmi/id");
	ln("b", "loop/a");
	ln("a", "loop/b");
	snprintf(p, sizeof(p), "%s/proc/fifo", top);
	if (mkfifo(p, 0600)) {
		printf("Bail out! mkfifo: %s\n", strerror(errno));
		return 1;
	}
	snprintf(p, sizeof(p), "%s/dev/fifo_host", top);
	if (mkfifo(p, 0600)) {
		printf("Bail out! mkfifo: %s\n", strerror(errno));
		return 1;
	}
	snprintf(p, sizeof(p), "%s/dev/null_node", top);
	have_chr = mknod(p, S_IFCHR | 0600, makedev(1, 3)) == 0;

	sr_force_walk(false);
	checks("openat2", root, have_chr);
	sr_force_walk(true);
	checks("walk", root, have_chr);
	sr_set(NULL);
	snprintf(p, sizeof(p), "rm -rf '%s'", top);
	if (system(p))
		printf("# could not remove %s\n", top);
	return tap_done();
}
