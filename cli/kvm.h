/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvm.h - VMX operation on every CPU for the kernel backend: hold a KVM
 * VM open.
 *
 * The kernel's tdx_cpu_enable() and tdx_enable() need every CPU in VMX
 * operation.  KVM turns it on when it creates a VM and keeps it on (also
 * on CPUs onlined meanwhile, from its own CPU hotplug callback, which runs
 * before the driver's) until the last VM is gone; on 6.12+ it is on
 * anyway while kvm_intel is loaded (kvm.enable_virt_at_load, default Y),
 * on 6.8-6.11 only while a VM exists.  The open VM also keeps kvm_intel
 * from being unloaded.
 */
#ifndef TDXCTL_KVM_H
#define TDXCTL_KVM_H

#include <stdbool.h>

struct kvm_hold {
	int kvm_fd;		/* /dev/kvm, or -1 */
	int vm_fd;		/* the VM, or -1 */
	int err;		/* errno of the failed step, 0 when held */
	char why[192];		/* what failed, in words (err != 0) */
};

/* The device: /dev/kvm, or $TDXCTL_KVM_DEVICE (tests). */
const char *kvm_dev_path(void);
/*
 * The VM types KVM can create: KVM_CHECK_EXTENSION(KVM_CAP_VM_TYPES) on
 * the device, opened read-only (nothing created).  0 with *types the mask
 * (bit KVM_X86_TDX_VM_BIT: TDX VMs); -EINVAL: KVM does not know the
 * capability (before 6.10: it answers 0, or EINVAL); else -errno of the
 * open or the ioctl.
 */
#define KVM_X86_TDX_VM_BIT 5	/* KVM_X86_TDX_VM, uapi asm/kvm.h (6.16+) */
int kvm_vm_types(unsigned long *types);
/* Open /dev/kvm and create a VM: 0 (held), or -errno with h->why set. */
int kvm_hold_vm(struct kvm_hold *h);
/* Close the VM and /dev/kvm (nothing held: nothing done). */
void kvm_release(struct kvm_hold *h);

/*
 * The enable commands: on the kernel backend, hold a VM for the rest of
 * the process (once; -v says what happened).  Elsewhere nothing.
 */
void kvm_hold_for(unsigned backend);
/* An EACCES from a CPU or module enable on the kernel backend: a CPU out
 * of VMX operation.  Reports it (what the VM hold found, what to do) as
 * the command's error and returns the exit code. */
bool kvm_vmx_refusal(int err, unsigned backend);
int kvm_vmx_error(const char *what);
#endif
