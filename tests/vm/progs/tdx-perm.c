// SPDX-License-Identifier: GPL-2.0
/*
 * tdx-perm: the /dev/tdx_host permission matrix.  Run as root on a freshly
 * loaded driver.  Status works on any fd; state changes need an fd opened
 * for writing by an opener with CAP_SYS_ADMIN: the opener's credentials
 * decide, not those of whoever holds the fd later.  The plan covers the
 * checks of every process: forked children print theirs on the same
 * stdout.
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>
#include <linux/capability.h>

#include "tdx-test.h"

/* Checks printed: 2 + 3 + 3 + 2 + 2 + 2, parent and children together */
#define PLAN	14

static int cpu_enable(int fd, unsigned int cpu)
{
	struct tdx_host_cpu_enable ce = { .size = sizeof(ce), .cpu = cpu };

	return xioctl(fd, TDX_HOST_IOC_CPU_ENABLE, &ce);
}

static int module_enable(int fd)
{
	struct tdx_host_module_enable me = { .size = sizeof(me) };

	me.flags = TDX_HOST_ENABLE_ALL_CPUS;
	return xioctl(fd, TDX_HOST_IOC_MODULE_ENABLE, &me);
}

static int status(int fd)
{
	struct tdx_host_status st;

	return tdx_status(fd, &st);
}

static void send_fd(int sock, int fd)
{
	char data = 'x', ctl[CMSG_SPACE(sizeof(int))] = {};
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &msg, 0) != 1) {
		perror("sendmsg");
		exit(3);
	}
}

static int recv_fd(int sock)
{
	char data, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1 || !(c = CMSG_FIRSTHDR(&msg)) ||
	    c->cmsg_type != SCM_RIGHTS) {
		perror("recvmsg");
		exit(3);
	}
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static int wait_child(pid_t pid)
{
	int ws;

	waitpid(pid, &ws, 0);
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128;
}

int main(void)
{
	struct tdx_host_status st;
	int fd, sv[2], e;
	pid_t pid;

	if (geteuid() != 0) {
		fprintf(stderr, "tdx-perm: run as root\n");
		return 2;
	}
	t_plan(PLAN);

	/* 1: an unprivileged user cannot open the node (0600 root) */
	fflush(stdout);
	pid = fork();
	if (!pid) {
		drop_to_nobody();
		e = open(TDX_DEV, O_RDONLY) < 0 ? errno : 0;
		t_errno(e, EACCES, "uid 65534: open read-only -> EACCES");
		e = open(TDX_DEV, O_RDWR) < 0 ? errno : 0;
		t_errno(e, EACCES, "uid 65534: open read-write -> EACCES");
		exit(t_failures);
	}
	t_failures += wait_child(pid);

	/* 2: root with a read-only fd: queries yes, changes no */
	fd = tdx_open(O_RDONLY);
	t_errno(status(fd), 0, "root, read-only fd: STATUS works");
	t_errno(cpu_enable(fd, 0), EBADF, "root, read-only fd: CPU_ENABLE -> EBADF");
	t_errno(module_enable(fd), EBADF, "root, read-only fd: MODULE_ENABLE -> EBADF");
	close(fd);

	/* 3: uid 0 without CAP_SYS_ADMIN opens read-write: no changes */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	fflush(stdout);
	pid = fork();
	if (!pid) {
		close(sv[0]);
		drop_sys_admin();
		fd = tdx_open(O_RDWR);
		t_errno(status(fd), 0, "uid 0 without CAP_SYS_ADMIN: STATUS works");
		t_errno(cpu_enable(fd, 1), EPERM,
			"uid 0 without CAP_SYS_ADMIN: CPU_ENABLE -> EPERM");
		t_errno(module_enable(fd), EPERM,
			"uid 0 without CAP_SYS_ADMIN: MODULE_ENABLE -> EPERM");
		send_fd(sv[1], fd);
		exit(t_failures);
	}
	close(sv[1]);
	fd = recv_fd(sv[0]);
	t_failures += wait_child(pid);
	t_errno(cpu_enable(fd, 1), EPERM,
		"full root using that fd: CPU_ENABLE -> EPERM (opener decides)");
	t_errno(module_enable(fd), EPERM,
		"full root using that fd: MODULE_ENABLE -> EPERM (opener decides)");
	close(fd);
	close(sv[0]);

	/* 4: root's read-write fd handed to a process that became nobody */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	fflush(stdout);
	pid = fork();
	if (!pid) {
		close(sv[0]);
		drop_to_nobody();
		fd = recv_fd(sv[1]);
		t_errno(status(fd), 0, "uid 65534 with root's fd: STATUS works");
		t_errno(cpu_enable(fd, 0), 0,
			"uid 65534 with root's fd: CPU_ENABLE works (opener decides)");
		exit(t_failures);
	}
	close(sv[1]);
	fd = tdx_open(O_RDWR);
	send_fd(sv[0], fd);
	t_failures += wait_child(pid);
	close(sv[0]);

	t_errno(tdx_status(fd, &st), 0, "status at the end");
	t_result(st.cpus_enabled == 1 && st.state == TDX_HOST_STATE_UNINITIALIZED,
		 "only the permitted change happened (%u CPU enabled, %s)",
		 st.cpus_enabled, state_name(st.state));
	close(fd);
	return t_failures ? 1 : 0;
}
