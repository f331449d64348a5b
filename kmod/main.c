// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl: bring Intel TDX up on a host on demand and report its state.
 *
 * main.c: module load/unload, the backend registry and the /dev/tdx_host
 * misc device with its table-driven ioctl dispatch.
 *
 * A backend registers itself (tdxctl_register_backend()); only then does
 * /dev/tdx_host exist.  The backend module is pinned while the device is
 * open, so it cannot go while anyone uses it; when it goes, the device
 * and the core's state go with it.
 *
 * The generic netlink family (netlink.c) lives as long as this module,
 * whatever the backend (kernel or emulated): a listener sees backends
 * come and go (a backend event each time) and keeps listening; its GET operations answer ENODEV while no backend is
 * registered.  When this module goes, the family goes, and listeners
 * learn it from the nlctrl notify group (CTRL_CMD_DELFAMILY).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "tdxctl.h"

static char *backend;
module_param(backend, charp, 0444);
MODULE_PARM_DESC(backend, "TDX module backend: \"auto\" (default: the kernel's TDX host core where usable), \"kernel\", or \"emulated\" (accept the emulated TDX platform of the test module tdxctl_emu)");

/* Does the backend parameter ask for a backend of this name? */
static bool backend_wanted(const char *name)
{
	if (!backend || !*backend || !strcmp(backend, "auto"))
		return !strcmp(name, "kernel");
	return !strcmp(backend, name);
}

/*
 * The registered backend: set before the device is registered, cleared
 * after it is gone.  tdxctl_reg_lock serializes (un)registering.
 */
static DEFINE_MUTEX(tdxctl_reg_lock);
static const struct tdxctl_backend *tdxctl_be;

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

/* Output fields are ignored on input: the call starts them at zero */
static void clear_version(void *arg)
{
}

static void clear_status(void *arg)
{
}

static void clear_cpu_table(void *arg)
{
}

static void clear_cpu_enable(void *arg)
{
	struct tdx_host_cpu_enable *ce = arg;

	ce->outcome = 0;
	ce->tdx_status = 0;
	ce->step = 0;
	ce->valid = 0;
}

static void clear_module_enable(void *arg)
{
	struct tdx_host_module_enable *me = arg;

	memset((u8 *)me + offsetof(struct tdx_host_module_enable, state), 0,
	       sizeof(*me) - offsetof(struct tdx_host_module_enable, state));
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
 * @clear: zeroes the output fields, whatever the caller left there
 * @handler: the ioctl itself, on a kernel copy of the struct
 */
struct tdxctl_ioc_op {
	unsigned int cmd;
	u32 min_size;
	u32 size;
	u32 valid_flags;
	bool needs_write;
	void (*clear)(void *arg);
	int (*handler)(void *arg);
};

#define IOC_OP(_nr, _cmd, _struct, _flags, _write, _fn)			\
	[_nr] = {							\
		.cmd = _cmd,						\
		.min_size = sizeof(struct _struct),			\
		.size = sizeof(struct _struct),				\
		.valid_flags = _flags,					\
		.needs_write = _write,					\
		.clear = clear_##_fn,					\
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
	op->clear(&buf);
	wsize = min_t(u32, usize, op->size);

	if (op->needs_write) {
		if (!(file->f_mode & FMODE_WRITE))
			ret = -EBADF;
		else if (!file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN))
			ret = -EPERM;
		if (ret) {
			/* refused: only the outputs, cleared, come back */
			hdr[0] = wsize;
			return copy_to_user(uptr, &buf, wsize) ? -EFAULT : ret;
		}
	}

	/*
	 * The struct is written back whatever the outcome, min(size, what
	 * this driver knows) bytes of it.  Prove those bytes writable before
	 * anything changes state, by writing back what was just read: the
	 * caller sees no change, and a read-only part fails here, with
	 * nothing done.
	 */
	if (copy_to_user(uptr, &buf, wsize))
		return -EFAULT;

	ret = op->handler(&buf);

	/* size says how much the driver filled */
	hdr[0] = wsize;
	if (copy_to_user(uptr, &buf, wsize))
		return -EFAULT;
	return ret;
}

/*
 * misc_open() calls this with misc_mtx held and the device registered,
 * so a backend is set and cannot be unregistered meanwhile (that starts
 * with misc_deregister()).  Pin its module for as long as the file is
 * open.  A backend on its way out (module exit running) cannot be
 * pinned: the device is about to go.
 */
static int tdxctl_open(struct inode *inode, struct file *file)
{
	const struct tdxctl_backend *be = READ_ONCE(tdxctl_be);

	if (!be || !try_module_get(be->owner))
		return -ENODEV;
	file->private_data = (void *)be;
	return nonseekable_open(inode, file);
}

static int tdxctl_release(struct inode *inode, struct file *file)
{
	const struct tdxctl_backend *be = file->private_data;

	module_put(be->owner);
	return 0;
}

static const struct file_operations tdxctl_fops = {
	.owner		= THIS_MODULE,
	.open		= tdxctl_open,
	.release	= tdxctl_release,
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

/**
 * tdxctl_register_backend() - make a backend the one /dev/tdx_host uses
 * @be: the backend; its ops must stay valid until unregistered
 *
 * Context: process context, from the backend module's init.
 * Return: 0; -EPERM when the ``backend`` parameter does not name @be;
 * -EBUSY when a backend is registered; or the error of setting up.
 */
int tdxctl_register_backend(const struct tdxctl_backend *be)
{
	int ret;

	mutex_lock(&tdxctl_reg_lock);
	if (tdxctl_be) {
		pr_err("backend %s refused: backend %s is registered\n",
		       be->name, tdxctl_be->name);
		ret = -EBUSY;
		goto out;
	}
	if (!backend_wanted(be->name)) {
		pr_err("backend %s refused: tdxctl was loaded with backend=%s; load it with backend=%s to use this one\n",
		       be->name, backend && *backend ? backend : "auto",
		       be->name);
		ret = -EPERM;
		goto out;
	}

	ret = tdxctl_core_init(be);
	if (ret)
		goto out;
	tdxctl_be = be;
	ret = misc_register(&tdxctl_misc);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n", tdxctl_misc.nodename,
		       ret);
		tdxctl_be = NULL;
		tdxctl_core_exit();
		goto out;
	}
	pr_info("backend %s, /dev/%s ready\n", be->name,
		tdxctl_misc.nodename);
	tdxctl_nl_backend(be->id, true);
out:
	mutex_unlock(&tdxctl_reg_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(tdxctl_register_backend);

/**
 * tdxctl_unregister_backend() - remove a backend and the device with it
 * @be: the backend passed to tdxctl_register_backend()
 *
 * Nobody has the device open (the open file pins the backend's module).
 * The core's state goes: the next backend starts afresh.
 *
 * Context: process context, from the backend module's exit.
 */
void tdxctl_unregister_backend(const struct tdxctl_backend *be)
{
	if (WARN_ON(READ_ONCE(tdxctl_be) != be))
		return;
	misc_deregister(&tdxctl_misc);

	mutex_lock(&tdxctl_reg_lock);
	tdxctl_be = NULL;
	tdxctl_core_exit();
	tdxctl_nl_backend(be->id, false);
	mutex_unlock(&tdxctl_reg_lock);
	pr_info("backend %s gone: no backend, no /dev/%s\n", be->name,
		tdxctl_misc.nodename);
}
EXPORT_SYMBOL_GPL(tdxctl_unregister_backend);

/**
 * tdxctl_get_status() - the STATUS of the registered backend
 * @st: filled as TDX_HOST_IOC_STATUS fills it
 *
 * For the netlink family, which outlives backends: the backend cannot
 * go while this runs.
 *
 * Return: 0, -ENODEV when no backend is registered, or -EINTR for a
 * fatal signal (the caller dies; a netlink ACK carries no restart).
 */
int tdxctl_get_status(struct tdx_host_status *st)
{
	int ret = -ENODEV;

	/* held only while a backend (un)registers, never for an enable */
	if (mutex_lock_killable(&tdxctl_reg_lock))
		return -EINTR;
	if (tdxctl_be)
		ret = tdxctl_status(st);
	mutex_unlock(&tdxctl_reg_lock);
	return ret;
}

/**
 * tdxctl_get_cpu_info() - one record of the CPU table
 * @cpu: CPU number
 * @ci: filled as TDX_HOST_IOC_CPU_TABLE fills a record
 *
 * Return: 0; -ENOENT when @cpu is not a possible CPU; -ENODEV when no
 * backend is registered; -EINTR for a fatal signal.
 */
int tdxctl_get_cpu_info(unsigned int cpu, struct tdx_host_cpu_info *ci)
{
	int ret = -ENODEV;

	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return -ENOENT;
	if (mutex_lock_killable(&tdxctl_reg_lock))
		return -EINTR;
	if (tdxctl_be) {
		tdxctl_cpu_info(cpu, ci);
		ret = 0;
	}
	mutex_unlock(&tdxctl_reg_lock);
	return ret;
}

/*
 * Which backend this load waits for or registers: 0 and @kernel set for
 * the kernel backend, 0 and @kernel clear to wait for backend=emulated,
 * or the errno of a load that cannot work (said in the log).
 */
static int tdxctl_pick_backend(bool *kernel)
{
	*kernel = false;
	if (backend && !strcmp(backend, "emulated")) {
		pr_info("waiting for backend emulated: load tdxctl_emu\n");
		return 0;
	}
	if (backend && *backend && strcmp(backend, "kernel") &&
	    strcmp(backend, "auto")) {
		pr_err("not loaded: unknown backend \"%s\" (known: auto, kernel, emulated)\n",
		       backend);
		return -EINVAL;
	}
#ifdef TDXCTL_KERNEL_BACKEND
	{
		const char *why;

		if (tdxctl_kernel_usable(&why)) {
			*kernel = true;
			return 0;
		}
		pr_err("not loaded: no usable backend: %s; backend=emulated waits for the emulated TDX platform (tdxctl_emu)\n",
		       why);
	}
#else
	if (IS_ENABLED(CONFIG_INTEL_TDX_HOST))
		pr_err("not loaded: no usable backend: this kernel's TDX host core does not export tdx_cpu_enable() and tdx_enable() to modules; backend=emulated waits for the emulated TDX platform (tdxctl_emu)\n");
	else
		pr_err("not loaded: no usable backend: this kernel has no TDX host core (CONFIG_INTEL_TDX_HOST); backend=emulated waits for the emulated TDX platform (tdxctl_emu)\n");
#endif
	return -ENODEV;
}

static int __init tdxctl_init(void)
{
	bool kernel;
	int ret;

	BUILD_BUG_ON(sizeof(struct tdx_host_version) % 8 ||
		     sizeof(struct tdx_host_status) % 8 ||
		     sizeof(struct tdx_host_cpu_table) % 8 ||
		     sizeof(struct tdx_host_cpu_info) % 8 ||
		     sizeof(struct tdx_host_cpu_enable) % 8 ||
		     sizeof(struct tdx_host_module_enable) % 8);
	BUILD_BUG_ON(TDX_HOST_STEP_NR > TDX_HOST_STEP_SLOTS);

	ret = tdxctl_pick_backend(&kernel);
	if (ret)
		return ret;

	/* the family is there whenever this module is, whatever the backend */
	ret = tdxctl_nl_init();
	if (ret) {
		pr_err("cannot register the generic netlink family: %d\n", ret);
		return ret;
	}
#ifdef TDXCTL_KERNEL_BACKEND
	if (kernel) {
		ret = tdxctl_register_backend(&tdxctl_kernel_backend);
		if (ret)
			tdxctl_nl_exit();
	}
#endif
	return ret;
}

static void __exit tdxctl_exit(void)
{
#ifdef TDXCTL_KERNEL_BACKEND
	/* the kernel backend is ours; an open file pins this module */
	if (tdxctl_be == &tdxctl_kernel_backend)
		tdxctl_unregister_backend(&tdxctl_kernel_backend);
#endif
	/* a registered backend module holds a reference on this one */
	WARN_ON(tdxctl_be);
	tdxctl_nl_exit();
}

module_init(tdxctl_init);
module_exit(tdxctl_exit);

MODULE_DESCRIPTION("On-demand Intel TDX host enabling and status (/dev/tdx_host)");
MODULE_LICENSE("GPL");
MODULE_VERSION(TDXCTL_DRIVER_VERSION);
