// SPDX-License-Identifier: GPL-2.0
/*
 * seamldr.c - the emulated P-SEAMLDR's runtime update of the TDX module,
 * as Linux 7.2 drives it (arch/x86/virt/vmx/tdx/seamldr.c): the image
 * header is checked, SEAMLDR_PARAMS built, and under cpus_read_lock()
 * one stop_machine() runs TDH.SYS.SHUTDOWN on one CPU, P-SEAMLDR.INSTALL
 * on every CPU, global and per-CPU init again on every CPU and
 * TDH.SYS.UPDATE on one CPU; every CPU stops at the first failure.
 *
 * The emulated P-SEAMLDR verifies the whole image before the old TDX
 * module shuts down and refuses with nothing changed: header, sigstruct
 * vendor, debug signing, this CPU in the CPUID table, the emulated
 * module's magic, same major.minor, a newer update, a running update the
 * image may start from, updates left, every present CPU online.
 *
 * The update runs through tdxctl_module_update(), under tdxctl.ko's
 * enable mutex: module enable, per-CPU enable and CPU hotplug wait for it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <asm/processor.h>
#ifdef TDXCTL_HAVE_CPUID_API
#include <asm/cpuid/api.h>
#endif

#include "tdxctl.h"
#include "seam.h"

#define TDX_IMAGE_VERSION	0x200
#define TDX_IMAGE_PAGE		4096
#define SIG_MODULE_TYPE		12
#define SIG_MODULE_VENDOR	16
#define SIG_CPUID_COUNT		1024
#define SIG_CPUID_TABLE		1028
#define SIG_DEBUG		BIT(31)
#define CPUID_STEPPING_MASK	0xfffffff0U

/* The image header Linux 7.2 reads (struct tdx_image_header) */
struct tdx_image_header {
	u16 version;
	u16 checksum;
	char signature[8];
	u32 sigstruct_nr_pages;
	u32 module_nr_pages;
	u8 reserved[4076];
} __packed;

int emu_update_fail;

/* the image's fields are naturally aligned in its page-aligned buffer */
static u16 le16_at(const u8 *p)
{
	return le16_to_cpup((const __le16 *)p);
}

static u32 le32_at(const u8 *p)
{
	return le32_to_cpup((const __le32 *)p);
}

static const char * const update_fail_names[] = {
	[EMU_UPDATE_FAIL_NONE] = "none",
	[EMU_UPDATE_FAIL_BEFORE_SHUTDOWN] = "before-shutdown",
	[EMU_UPDATE_FAIL_AFTER_SHUTDOWN] = "after-shutdown",
};

/**
 * emu_seamldr_get_info() - P-SEAMLDR.INFO
 * @info: filled in
 *
 * Return: 0 or -EIO.
 */
int emu_seamldr_get_info(struct seamldr_info *info)
{
	struct seam_args args = {};
	struct seamldr_info *buf;
	u64 st;

	/* 256 bytes from kmalloc are 256-byte aligned */
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	args.rcx = __pa(buf);
	st = seam_seamcall(SEAMLDR_INFO, &args);
	if (!st)
		*info = *buf;
	kfree(buf);
	return st ? -EIO : 0;
}

/* The image's page @i as a physical address (the upload is vmalloc'ed) */
static u64 image_pa(const u8 *data, u32 i)
{
	const u8 *p = data + (size_t)i * TDX_IMAGE_PAGE;

	if (is_vmalloc_addr(p))
		return page_to_phys(vmalloc_to_page(p)) + offset_in_page(p);
	return __pa(p);
}

/* The checks of Linux 7.2 on the header, then the emulated P-SEAMLDR's */
static const char *image_refusal(const u8 *data, u32 size)
{
	const struct tdx_image_header *h = (const void *)data;
	const struct emu_module_page *mp;
	struct tdx_model_versions v;
	const u8 *sig;
	u32 i, n, eax, sum = 0;

	if (size < sizeof(*h))
		return "image shorter than its 4 KiB header";
	if (h->version != TDX_IMAGE_VERSION)
		return "header version is not 0x200";
	if (memcmp(h->signature, "TDX-BLOB", 8))
		return "header signature is not TDX-BLOB";
	if (h->sigstruct_nr_pages > 1)
		return "more than one sigstruct page";
	if (h->module_nr_pages > SEAMLDR_MAX_MODULE_PAGES)
		return "more than 496 module pages";
	if (!h->sigstruct_nr_pages || !h->module_nr_pages)
		return "no sigstruct or no module pages";
	if ((u64)size != (u64)TDX_IMAGE_PAGE *
	    (1 + h->sigstruct_nr_pages + h->module_nr_pages))
		return "image size does not match its header";
	if (memchr_inv(h->reserved, 0, sizeof(h->reserved)))
		return "reserved header bytes are not zero";
	for (i = 0; i < size / 2; i++)
		sum += le16_at(data + 2 * i);
	if (sum & 0xffff)
		return "checksum mismatch";

	sig = data + TDX_IMAGE_PAGE;
	if (le32_at(sig + SIG_MODULE_VENDOR) != 0x8086)
		return "sigstruct vendor is not Intel";
	if (le32_at(sig + SIG_MODULE_TYPE) & SIG_DEBUG)
		return "debug-signed TDX module";
	n = le32_at(sig + SIG_CPUID_COUNT);
	if (n > (TDX_IMAGE_PAGE - SIG_CPUID_TABLE) / 4)
		return "sigstruct CPUID table too long";
	eax = cpuid_eax(1) & CPUID_STEPPING_MASK;
	for (i = 0; i < n; i++)
		if ((le32_at(sig + SIG_CPUID_TABLE + 4 * i) &
		     CPUID_STEPPING_MASK) == eax)
			break;
	if (i == n)
		return "TDX module not signed for this CPU (CPUID.1.EAX)";

	mp = (const void *)(data + TDX_IMAGE_PAGE *
			    (1 + h->sigstruct_nr_pages));
	if (memcmp(mp->magic, "TDXEMUMD", 8))
		return "not an emulated TDX module";
	if (!tdx_model_versions(&v))
		return "the TDX module is not initialized";
	if (mp->major != v.major || mp->minor != v.minor)
		return "different major.minor: not a TD-preserving update";
	if (mp->update <= v.update)
		return "not newer than the running TDX module (downgrade or same version)";
	if (v.update < mp->min_update)
		return "running TDX module too old to update from (min_update)";
	if (!v.ldr_updates)
		return "no updates left (num_remaining_updates 0)";
	if (!cpumask_equal(cpu_present_mask, cpu_online_mask))
		return "a CPU is offline";
	return NULL;
}

enum { UPD_SHUTDOWN, UPD_INSTALL, UPD_INIT, UPD_NR };

struct update_ctx {
	const u8 *data;
	u32 size;
	struct seamldr_params *params;
	atomic_t done[UPD_NR];
	atomic_t failed;
	const char *why;
	unsigned int nr_cpus;
	int err;
	u64 status;
	bool shut_down;
};

static void update_failed(struct update_ctx *c, int err, u64 status)
{
	if (atomic_cmpxchg(&c->failed, 0, 1) == 0) {
		c->err = err;
		c->status = status;
	}
}

/* Every CPU reaches @stage before any goes on */
static void update_sync(struct update_ctx *c, int stage, unsigned int nr)
{
	atomic_inc(&c->done[stage]);
	while (atomic_read(&c->done[stage]) < nr)
		cpu_relax();
}

/*
 * The first online CPU: verify again (CPU hotplug is held off now, every
 * CPU stopped), then the handoff version and TDH.SYS.SHUTDOWN
 */
static void update_shutdown(struct update_ctx *c)
{
	struct seam_args args = { .rdx = MD_FIELD_ID_MODULE_HV };
	u64 st;

	c->why = image_refusal(c->data, c->size);
	if (!c->why && READ_ONCE(emu_update_fail) ==
		       EMU_UPDATE_FAIL_BEFORE_SHUTDOWN)
		c->why = "injected failure before shutdown (debugfs update_fail)";
	if (c->why) {
		update_failed(c, -EINVAL, 0);
		return;
	}
	st = seam_seamcall(TDH_SYS_RD, &args);
	if (!st) {
		args = (struct seam_args){ .rcx = args.r8 };
		st = seam_seamcall(TDH_SYS_SHUTDOWN, &args);
	}
	if (st) {
		update_failed(c, -EIO, st);
		return;
	}
	c->shut_down = true;
	seam_update_forget_init();
}

/* stop_machine(): on every online CPU, interrupts off */
static int update_stopped(void *arg)
{
	struct update_ctx *c = arg;
	unsigned int nr = num_online_cpus();
	bool first = smp_processor_id() == cpumask_first(cpu_online_mask);
	struct seam_args args;
	u64 st;
	int ret;

	if (first) {
		c->nr_cpus = nr;
		update_shutdown(c);
	}
	update_sync(c, UPD_SHUTDOWN, nr);

	if (!atomic_read(&c->failed)) {
		args = (struct seam_args){ .rcx = __pa(c->params) };
		st = seam_seamcall(SEAMLDR_INSTALL, &args);
		if (st)
			update_failed(c, -EIO, st);
	}
	update_sync(c, UPD_INSTALL, nr);

	if (!atomic_read(&c->failed)) {
		ret = seam_update_cpu_init(&st);
		if (ret)
			update_failed(c, ret, st);
	}
	update_sync(c, UPD_INIT, nr);

	if (first && !atomic_read(&c->failed)) {
		args = (struct seam_args){};
		st = seam_seamcall(TDH_SYS_UPDATE, &args);
		if (st)
			update_failed(c, -EIO, st);
	}
	return 0;
}

/*
 * Called by tdxctl_module_update() with its enable mutex held;
 * stop_machine() takes the CPU hotplug lock (cpus_read_lock()) inside it
 */
static int update_locked(void *arg, struct tdxctl_result *res)
{
	struct update_ctx *c = arg;
	u64 t0;
	int ret;

	t0 = ktime_get_ns();
	ret = stop_machine(update_stopped, c, cpu_online_mask);
	if (!ret && atomic_read(&c->failed))
		ret = c->err;
	if (c->why) {
		pr_warn("TDX module update refused, nothing changed: %s\n",
			c->why);
		return ret;
	}
	if (ret) {
		res->sticky = c->shut_down;
		res->tdx_status = c->status;
		pr_err("TDX module update failed after TDH.SYS.SHUTDOWN (TDX status 0x%016llx): the TDX module is in error, every TD is lost\n",
		       c->status);
		return ret;
	}
	ret = seam_update_refresh();
	pr_info("TDX module update: %llu us with %u CPUs stopped\n",
		(ktime_get_ns() - t0) / NSEC_PER_USEC, c->nr_cpus);
	return ret;
}

/**
 * emu_module_update() - install a TDX module image (the upload's write)
 * @data: the image
 * @size: its length
 *
 * Return: 0, or a negative errno: the update was refused with nothing
 * changed, or it failed after the shutdown (the TDX module is in error).
 */
int emu_module_update(const u8 *data, u32 size)
{
	const struct tdx_image_header *h = (const void *)data;
	struct update_ctx *c;
	const char *why;
	u32 i;
	int ret;

	why = image_refusal(data, size);
	if (why) {
		pr_warn("TDX module update refused, nothing changed: %s\n",
			why);
		return -EINVAL;
	}

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->params = (void *)get_zeroed_page(GFP_KERNEL);
	if (!c->params) {
		kfree(c);
		return -ENOMEM;
	}
	c->data = data;
	c->size = size;
	c->params->version = 0;
	c->params->scenario = SEAMLDR_SCENARIO_UPDATE;
	c->params->sigstruct_pa[0] = image_pa(data, 1);
	c->params->num_module_pages = h->module_nr_pages;
	for (i = 0; i < h->module_nr_pages; i++)
		c->params->mod_pages_pa_list[i] =
			image_pa(data, 1 + h->sigstruct_nr_pages + i);

	ret = tdxctl_module_update(update_locked, c);
	free_page((unsigned long)c->params);
	kfree(c);
	return ret;
}

/* ---- debugfs: update_fail ---- */

static ssize_t update_fail_read(struct file *f, char __user *ubuf,
				size_t len, loff_t *pos)
{
	char buf[32];
	int n;

	n = scnprintf(buf, sizeof(buf), "%s\n",
		      update_fail_names[READ_ONCE(emu_update_fail)]);
	return simple_read_from_buffer(ubuf, len, pos, buf, n);
}

static ssize_t update_fail_write(struct file *f, const char __user *ubuf,
				 size_t len, loff_t *pos)
{
	char buf[32];
	int i;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	i = sysfs_match_string(update_fail_names, strim(buf));
	if (i < 0)
		return i;
	WRITE_ONCE(emu_update_fail, i);
	return len;
}

static const struct file_operations update_fail_fops = {
	.owner = THIS_MODULE,
	.read = update_fail_read,
	.write = update_fail_write,
	.llseek = default_llseek,
};

void emu_seamldr_debugfs_init(struct dentry *dir)
{
	emu_update_fail = EMU_UPDATE_FAIL_NONE;
	debugfs_create_u32("seamldr_updates", 0600, dir,
			   &tdx_model_ldr_updates);
	debugfs_create_file("update_fail", 0600, dir, NULL,
			    &update_fail_fops);
}
