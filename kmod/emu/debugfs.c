// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - /sys/kernel/debug/tdxctl_emu/: test hooks of the emulated TDX
 * module (format in man/tdxctl.ko.4):
 *
 *   calls          SEAMCALLs per leaf ("NAME COUNT"); any write resets
 *   calls_per_cpu  SEAMCALLs per CPU and leaf ("CPU NAME COUNT")
 *   inject         fault injection rules; write "LEAF STATUS [cpu=N]
 *                  [count=N] [skip=N]" or "clear"
 *   seamcall       write "LEAF [RCX [RDX [R8]]] [cpu=N]" to issue one raw
 *                  SEAMCALL; read its "status= rcx= rdx= r8=" back.  A
 *                  CONFIG that passed its ordering checks is refused
 *                  (EPERM): it would take TDMRs the driver does not own
 *                  (the kernel log says so)
 *   model          the TDX module's own state (sys_state, LPs, packages)
 *   tdmrs          TDX memory, TDMRs, PAMTs and reserved areas in use
 *   pamt_bytes     PAMT memory allocated now
 *   fail_pamt_alloc  fail the Nth PAMT allocation from now (0: off)
 *   contig_max     bytes: the largest PAMT piece the contiguous allocator
 *                  may find, as on a fragmented host (0: no limit)
 *   corrupt_config   spoil the next TDH.SYS.CONFIG input one way (a
 *                  keyword, see the man page) to prove the TDX module's
 *                  layout checks
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "seam.h"

static struct dentry *emu_dir;

static int calls_show(struct seq_file *m, void *v)
{
	tdx_model_show_calls(m);
	return 0;
}

static int calls_open(struct inode *inode, struct file *file)
{
	return single_open(file, calls_show, NULL);
}

static ssize_t calls_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *ppos)
{
	tdx_model_reset_calls();
	return len;
}

static const struct file_operations calls_fops = {
	.owner		= THIS_MODULE,
	.open		= calls_open,
	.read		= seq_read,
	.write		= calls_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static int calls_per_cpu_show(struct seq_file *m, void *v)
{
	tdx_model_show_calls_per_cpu(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(calls_per_cpu);

static int model_show(struct seq_file *m, void *v)
{
	tdx_model_show_state(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(model);

static int tdmrs_show(struct seq_file *m, void *v)
{
	seam_show_tdmrs(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tdmrs);

static int inject_show(struct seq_file *m, void *v)
{
	tdx_model_show_inject(m);
	return 0;
}

static int inject_open(struct inode *inode, struct file *file)
{
	return single_open(file, inject_show, NULL);
}

static ssize_t inject_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char *buf, *line, *s;
	int ret = 0;

	if (len > PAGE_SIZE)
		return -E2BIG;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	s = buf;
	while (!ret && (line = strsep(&s, "\n")) != NULL) {
		if (*strim(line))
			ret = tdx_model_inject(line);
	}
	kfree(buf);
	return ret ? ret : len;
}

static const struct file_operations inject_fops = {
	.owner		= THIS_MODULE,
	.open		= inject_open,
	.read		= seq_read,
	.write		= inject_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* One raw SEAMCALL, for tests of the TDX module's own ordering rules */
static DEFINE_MUTEX(raw_lock);

static struct raw_call {
	u64 leaf;
	u64 status;
	struct seam_args args;
} raw_last;

static void raw_call_ipi(void *arg)
{
	struct raw_call *c = arg;

	c->status = tdx_model_seamcall_raw(c->leaf, &c->args);
	/* a test's call: its modelled cost counts to no step */
	tdx_model_owed_ns();
}

static int seamcall_show(struct seq_file *m, void *v)
{
	mutex_lock(&raw_lock);
	seq_printf(m, "status=0x%016llx rcx=0x%llx rdx=0x%llx r8=0x%llx\n",
		   raw_last.status, raw_last.args.rcx, raw_last.args.rdx,
		   raw_last.args.r8);
	mutex_unlock(&raw_lock);
	return 0;
}

static int seamcall_open(struct inode *inode, struct file *file)
{
	return single_open(file, seamcall_show, NULL);
}

static ssize_t seamcall_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct raw_call c = {};
	u64 *regs[] = { &c.args.rcx, &c.args.rdx, &c.args.r8 };
	unsigned int nregs = 0, leaf = 0;
	char *buf, *s, *tok;
	int cpu = -1, ret = 0;

	if (len > 256)
		return -E2BIG;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	s = strim(buf);
	tok = strsep(&s, " \t");
	if (!tok || tdx_leaf_parse(tok, &leaf))
		ret = -EINVAL;
	else
		c.leaf = leaf;
	while (!ret && (tok = strsep(&s, " \t")) != NULL) {
		if (!*tok)
			continue;
		if (!strncmp(tok, "cpu=", 4))
			ret = kstrtoint(tok + 4, 0, &cpu);
		else if (nregs < ARRAY_SIZE(regs))
			ret = kstrtou64(tok, 0, regs[nregs++]);
		else
			ret = -EINVAL;
	}
	kfree(buf);
	if (ret)
		return -EINVAL;

	cpus_read_lock();
	if (cpu < 0)
		cpu = raw_smp_processor_id();
	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		ret = -ENXIO;
	else
		ret = smp_call_function_single(cpu, raw_call_ipi, &c, 1);
	cpus_read_unlock();
	if (ret)
		return ret;
	if (c.status == SEAM_RAW_REFUSED) {
		pr_warn("raw TDH.SYS.CONFIG refused: it would read TDMRs at addresses the test chose; only the driver configures the TDX module\n");
		return -EPERM;
	}

	mutex_lock(&raw_lock);
	raw_last = c;
	mutex_unlock(&raw_lock);
	return len;
}

static const struct file_operations seamcall_fops = {
	.owner		= THIS_MODULE,
	.open		= seamcall_open,
	.read		= seq_read,
	.write		= seamcall_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static ssize_t corrupt_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	char buf[32];
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	ret = seam_set_corrupt(strim(buf));
	return ret ? ret : len;
}

static const struct file_operations corrupt_fops = {
	.owner		= THIS_MODULE,
	.open		= simple_open,
	.write		= corrupt_write,
	.llseek		= noop_llseek,
};

static int pamt_bytes_get(void *data, u64 *val)
{
	*val = tdmr_pamt_allocated();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(pamt_bytes_fops, pamt_bytes_get, NULL, "%llu\n");

void emu_debugfs_init(void)
{
	memset(&raw_last, 0, sizeof(raw_last));
	tdmr_fail_pamt_alloc = 0;
	tdmr_contig_max = 0;

	emu_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("calls", 0600, emu_dir, NULL, &calls_fops);
	debugfs_create_file("calls_per_cpu", 0400, emu_dir, NULL,
			    &calls_per_cpu_fops);
	debugfs_create_file("inject", 0600, emu_dir, NULL, &inject_fops);
	debugfs_create_file("seamcall", 0600, emu_dir, NULL,
			    &seamcall_fops);
	debugfs_create_file("model", 0400, emu_dir, NULL, &model_fops);
	debugfs_create_file("tdmrs", 0400, emu_dir, NULL, &tdmrs_fops);
	debugfs_create_file_unsafe("pamt_bytes", 0400, emu_dir, NULL,
				   &pamt_bytes_fops);
	debugfs_create_u32("fail_pamt_alloc", 0600, emu_dir,
			   &tdmr_fail_pamt_alloc);
	debugfs_create_u64("contig_max", 0600, emu_dir, &tdmr_contig_max);
	debugfs_create_file("corrupt_config", 0200, emu_dir, NULL,
			    &corrupt_fops);
	emu_fragment_init(emu_dir);
	emu_seamldr_debugfs_init(emu_dir);
}

/* The directory, for the files of hook mode (hook.c) */
struct dentry *emu_debugfs_dir(void)
{
	return emu_dir;
}

void emu_debugfs_exit(void)
{
	debugfs_remove_recursive(emu_dir);
	emu_dir = NULL;
	emu_fragment_exit();
}
