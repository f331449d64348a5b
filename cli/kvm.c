// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm.c - hold a KVM VM open for the length of an enable (kvm.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "kvm.h"

const char *kvm_dev_path(void)
{
	const char *p = getenv("TDXCTL_KVM_DEVICE");

	return p && *p ? p : "/dev/kvm";
}

static int hold_fail(struct kvm_hold *h, int err, const char *fmt, const char *arg)
{
	h->err = err;
	snprintf(h->why, sizeof(h->why), fmt, arg, strerror(err));
	kvm_release(h);
	h->err = err;
	return -err;
}

int kvm_hold_vm(struct kvm_hold *h)
{
	const char *path = kvm_dev_path();
	int v;

	h->kvm_fd = h->vm_fd = -1;
	h->err = 0;
	h->why[0] = '\0';
	h->kvm_fd = open(path, O_RDWR | O_CLOEXEC);
	if (h->kvm_fd < 0) {
		int e = errno;

		if (e == ENOENT)
			return hold_fail(h, e, "no %s: KVM is not loaded (modprobe kvm_intel) (%s)", path);
		if (e == EACCES || e == EPERM)
			return hold_fail(h, e, "%s: permission denied: run as root (%s)", path);
		if (e == ENODEV || e == ENXIO)
			return hold_fail(h, e, "%s: KVM is not usable here: no VMX, or VMX off in the BIOS (%s)", path);
		return hold_fail(h, e, "cannot open %s (%s)", path);
	}
	v = ioctl(h->kvm_fd, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION)
		return hold_fail(h, v < 0 ? errno : EPROTO,
				 "%s: not the KVM API this tdxctl knows (%s)", path);
	h->vm_fd = ioctl(h->kvm_fd, KVM_CREATE_VM, 0);
	if (h->vm_fd < 0)
		return hold_fail(h, errno, "%s: KVM refused to create a VM, so VMX stays off (%s)", path);
	return 0;
}

void kvm_release(struct kvm_hold *h)
{
	if (h->vm_fd >= 0)
		close(h->vm_fd);
	if (h->kvm_fd >= 0)
		close(h->kvm_fd);
	h->vm_fd = h->kvm_fd = -1;
}
