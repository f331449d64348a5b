// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl: bring Intel TDX up on a host on demand and report its state.
 *
 * main.c: module load/unload, backend selection and the /dev/tdx_host
 * misc device with its table-driven ioctl dispatch.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "tdxctl.h"

static char *backend;
module_param(backend, charp, 0444);
MODULE_PARM_DESC(backend, "TDX module backend: \"emulated\" (the emulated TDX module; must be asked for)");

static const struct tdxctl_backend *tdxctl_be;

/* Input checks of each ioctl beyond size and flags: reserved must be 0 */
static int check_version(void *arg)
{
	return 0;
}

static int check_status(void *arg)
{
	struct tdx_host_status *st = arg;

	return st->reserved ? -EINVAL : 0;
}

static int check_cpu_table(void *arg)
{
	return 0;
}

static int check_cpu_enable(void *arg)
{
	struct tdx_host_cpu_enable *ce = arg;

	return ce->reserved ? -EINVAL : 0;
}

static int check_module_enable(void *arg)
{
	struct tdx_host_module_enable *me = arg;

	return me->reserved ? -EINVAL : 0;
}

static int ioc_version(void *arg)
{
	struct tdx_host_version *v = arg;

	v->abi_version = TDX_HOST_ABI_VERSION;
	v->backend = tdxctl_be->id;
	memset(v->driver_version, 0, sizeof(v->driver_version));
	strscpy((char *)v->driver_version, TDXCTL_DRIVER_VERSION,
		sizeof(v->driver_version));
	return 0;
}

static int ioc_status(void *arg)
{
	return tdxctl_status(arg);
}

static int ioc_cpu_table(void *arg)
{
	return tdxctl_cpu_table(arg);
}

static int ioc_cpu_enable(void *arg)
{
	return tdxctl_cpu_enable(arg);
}

static int ioc_module_enable(void *arg)
{
	return tdxctl_module_enable(arg);
}

union tdxctl_ioc_buf {
	struct tdx_host_version version;
	struct tdx_host_status status;
	struct tdx_host_cpu_table cpu_table;
	struct tdx_host_cpu_enable cpu_enable;
	struct tdx_host_module_enable module_enable;
};

/**
 * struct tdxctl_ioc_op - one ioctl of /dev/tdx_host
 * @cmd: the full ioctl number
 * @min_size: smallest size accepted (the v1 struct)
 * @size: size of the struct this driver knows
 * @valid_flags: flag bits this driver understands
 * @needs_write: changes state: needs a writable fd and CAP_SYS_ADMIN
 * @check: rejects non-zero reserved fields (EINVAL)
 * @handler: the ioctl itself, on a kernel copy of the struct
 */
struct tdxctl_ioc_op {
	unsigned int cmd;
	u32 min_size;
	u32 size;
	u32 valid_flags;
	bool needs_write;
	int (*check)(void *arg);
	int (*handler)(void *arg);
};

#define IOC_OP(_nr, _cmd, _struct, _flags, _write, _fn)			\
	[_nr] = {							\
		.cmd = _cmd,						\
		.min_size = sizeof(struct _struct),			\
		.size = sizeof(struct _struct),				\
		.valid_flags = _flags,					\
		.needs_write = _write,					\
		.check = check_##_fn,					\
		.handler = ioc_##_fn,					\
	}

static const struct tdxctl_ioc_op tdxctl_ioc_ops[] = {
	IOC_OP(0x00, TDX_HOST_IOC_VERSION, tdx_host_version, 0, false,
	       version),
	IOC_OP(0x01, TDX_HOST_IOC_STATUS, tdx_host_status, 0, false, status),
	IOC_OP(0x02, TDX_HOST_IOC_CPU_TABLE, tdx_host_cpu_table, 0, false,
	       cpu_table),
	IOC_OP(0x03, TDX_HOST_IOC_CPU_ENABLE, tdx_host_cpu_enable, 0, true,
	       cpu_enable),
	IOC_OP(0x04, TDX_HOST_IOC_MODULE_ENABLE, tdx_host_module_enable,
	       TDX_HOST_ENABLE_ALL_CPUS, true, module_enable),
};

static long tdxctl_ioctl(struct file *file, unsigned int cmd,
			 unsigned long uarg)
{
	void __user *uptr = (void __user *)uarg;
	const struct tdxctl_ioc_op *op;
	union tdxctl_ioc_buf buf;
	u32 *hdr = (u32 *)&buf;	/* size, flags */
	u32 usize, wsize;
	int ret;

	if (_IOC_TYPE(cmd) != TDX_HOST_IOCTL_TYPE ||
	    _IOC_NR(cmd) >= ARRAY_SIZE(tdxctl_ioc_ops))
		return -ENOTTY;
	op = &tdxctl_ioc_ops[_IOC_NR(cmd)];
	if (op->cmd != cmd)
		return -ENOTTY;

	if (get_user(usize, (u32 __user *)uptr))
		return -EFAULT;
	if (usize < op->min_size)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;

	memset(&buf, 0, sizeof(buf));
	ret = copy_struct_from_user(&buf, op->size, uptr, usize);
	if (ret)
		return ret;
	if (hdr[1] & ~op->valid_flags)
		return -EINVAL;
	ret = op->check(&buf);
	if (ret)
		return ret;

	if (op->needs_write) {
		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		if (!file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN))
			return -EPERM;
	}

	/*
	 * The struct is written back whatever the outcome, min(size, what
	 * this driver knows) bytes of it.  Prove those bytes writable before
	 * anything changes state, by writing back what was just read: the
	 * caller sees no change, and a read-only part fails here, with
	 * nothing done.
	 */
	wsize = min_t(u32, usize, op->size);
	if (copy_to_user(uptr, &buf, wsize))
		return -EFAULT;

	ret = op->handler(&buf);

	/* size says how much the driver filled */
	hdr[0] = wsize;
	if (copy_to_user(uptr, &buf, wsize))
		return -EFAULT;
	return ret;
}

static const struct file_operations tdxctl_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.unlocked_ioctl	= tdxctl_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice tdxctl_misc = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= "tdx_host",
	.nodename	= "tdx_host",
	.mode		= 0600,
	.fops		= &tdxctl_fops,
};

static const struct tdxctl_backend *tdxctl_select_backend(void)
{
	if (backend && !strcmp(backend, "emulated"))
		return &tdxctl_emulated_backend;

	if (backend && *backend && strcmp(backend, "kernel")) {
		pr_err("not loaded: unknown backend \"%s\" (known: emulated)\n",
		       backend);
		return NULL;
	}

	if (IS_ENABLED(CONFIG_INTEL_TDX_HOST))
		pr_err("not loaded: no usable backend: the kernel backend (this kernel's TDX host core) is not part of this build; backend=emulated loads the emulated TDX module\n");
	else
		pr_err("not loaded: no usable backend: this kernel has no TDX host core (CONFIG_INTEL_TDX_HOST, kernels 6.8-6.18); backend=emulated loads the emulated TDX module\n");
	return NULL;
}

static int __init tdxctl_init(void)
{
	const struct tdxctl_backend *be;
	int ret;

	BUILD_BUG_ON(sizeof(struct tdx_host_version) % 8 ||
		     sizeof(struct tdx_host_status) % 8 ||
		     sizeof(struct tdx_host_cpu_table) % 8 ||
		     sizeof(struct tdx_host_cpu_info) % 8 ||
		     sizeof(struct tdx_host_cpu_enable) % 8 ||
		     sizeof(struct tdx_host_module_enable) % 8);

	be = tdxctl_select_backend();
	if (!be)
		return -ENODEV;

	ret = be->init();
	if (ret)
		return ret;

	ret = tdxctl_core_init(be);
	if (ret)
		goto err_backend;

	tdxctl_be = be;
	ret = misc_register(&tdxctl_misc);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n", tdxctl_misc.nodename,
		       ret);
		goto err_core;
	}

	pr_info("backend %s, /dev/%s ready\n", be->name, tdxctl_misc.nodename);
	return 0;

err_core:
	tdxctl_core_exit();
err_backend:
	be->exit();
	return ret;
}

static void __exit tdxctl_exit(void)
{
	misc_deregister(&tdxctl_misc);
	tdxctl_core_exit();
	tdxctl_be->exit();
}

module_init(tdxctl_init);
module_exit(tdxctl_exit);

MODULE_DESCRIPTION("On-demand Intel TDX host enabling and status (/dev/tdx_host)");
MODULE_LICENSE("GPL");
MODULE_VERSION(TDXCTL_DRIVER_VERSION);
