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
#include <linux/tdx_host.h>

#include "kvm.h"
#include "print.h"
#include "tdxctl.h"

const char *kvm_dev_path(void)
{
	const char *p = getenv("TDXCTL_KVM_DEVICE");

	return p && *p ? p : "/dev/kvm";
}

#ifndef KVM_CAP_VM_TYPES
#define KVM_CAP_VM_TYPES 235	/* linux/kvm.h, 6.10+ */
#endif

int kvm_vm_types(unsigned long *types)
{
	int fd = open(kvm_dev_path(), O_RDONLY | O_CLOEXEC), r, e;

	if (fd < 0)
		return -errno;
	r = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES);
	e = errno;
	close(fd);
	if (r < 0)
		return -e;
	/* an unknown capability answers 0; 6.10+ always has the default type */
	if (r == 0)
		return -EINVAL;
	*types = (unsigned long)r;
	return 0;
}

static int hold_fail(struct kvm_hold *h, int err, const char *fmt, const char *arg)
{
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

static struct kvm_hold held = { .kvm_fd = -1, .vm_fd = -1 };
static bool tried;

void kvm_hold_for(unsigned backend)
{
	if (backend != TDX_HOST_BACKEND_KERNEL || tried)
		return;
	tried = true;
	if (!kvm_hold_vm(&held)) {
		if (g.verbose)
			fprintf(stderr, "tdxctl: holding a VM of %s open: KVM keeps every CPU in VMX operation\n",
				kvm_dev_path());
	} else if (g.verbose) {
		fprintf(stderr, "tdxctl: %s\n", held.why);
	}
}

bool kvm_vmx_refusal(int err, unsigned backend)
{
	return err == EACCES && backend == TDX_HOST_BACKEND_KERNEL;
}

int kvm_vmx_error(const char *what)
{
	char why[256];

	if (!tried)
		snprintf(why, sizeof(why), "no KVM VM was held");
	else if (held.err)
		snprintf(why, sizeof(why), "%s", held.why);
	else
		snprintf(why, sizeof(why), "KVM holds a VM open for tdxctl, yet a CPU is out of VMX operation (another hypervisor, or VMX off in the BIOS)");
	pr_error(EXIT_NOTSUP, "EACCES",
		 "load kvm_intel (modprobe kvm_intel) and run the enable again: tdxctl holds a KVM VM open while it enables, which puts every CPU in VMX operation",
		 "%s: a CPU is not in VMX operation, which the kernel's TDX code needs: %s", what, why);
	return EXIT_NOTSUP;
}
