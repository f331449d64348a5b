// SPDX-License-Identifier: GPL-2.0
/*
 * tdx_host_dev.c - the tdx_host device of Linux 7.2, over the emulated
 * TDX module: /sys/devices/faux/tdx_host with version (0444, ENXIO while
 * the TDX module is not initialized), seamldr_version and
 * num_remaining_updates (0400, a P-SEAMLDR.INFO each; hidden unless
 * TDX_FEATURES0 has TD_PRESERVING), and, where the kernel has the
 * firmware-upload API, the upload device tdx_module
 * (/sys/class/firmware/tdx_module) whose write installs the image as
 * upstream's drivers/virt/coco/tdx-host/tdx-host.c does: synchronously,
 * any failure reported as firmware-invalid, cancel a no-op.
 *
 * The faux bus exists from Linux 6.14; before, the same sysfs path is a
 * root device "faux" with a child device "tdx_host".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/firmware.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#ifdef TDXCTL_HAVE_FAUX
#include <linux/device/faux.h>
#endif

#include "seam.h"

#define TDX_VERSION_FMT	"%u.%u.%02u"

static ssize_t version_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct tdx_model_versions v;

	/* read under the model's lock: an update changes it all at once */
	if (!tdx_model_versions(&v))
		return -ENXIO;
	return sysfs_emit(buf, TDX_VERSION_FMT "\n", v.major, v.minor,
			  v.update);
}
static DEVICE_ATTR_RO(version);

static struct attribute *tdx_host_attrs[] = {
	&dev_attr_version.attr,
	NULL,
};

static const struct attribute_group tdx_host_group = {
	.attrs = tdx_host_attrs,
};

static ssize_t seamldr_version_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct seamldr_info info;
	int ret;

	ret = emu_seamldr_get_info(&info);
	if (ret)
		return ret;
	return sysfs_emit(buf, TDX_VERSION_FMT "\n", info.major_version,
			  info.minor_version, info.update_version);
}

static ssize_t num_remaining_updates_show(struct device *dev,
					  struct device_attribute *attr,
					  char *buf)
{
	struct seamldr_info info;
	int ret;

	ret = emu_seamldr_get_info(&info);
	if (ret)
		return ret;
	return sysfs_emit(buf, "%u\n", info.num_remaining_updates);
}

/* a P-SEAMLDR query each: admin only, as upstream */
static DEVICE_ATTR_ADMIN_RO(seamldr_version);
static DEVICE_ATTR_ADMIN_RO(num_remaining_updates);

static struct attribute *seamldr_attrs[] = {
	&dev_attr_seamldr_version.attr,
	&dev_attr_num_remaining_updates.attr,
	NULL,
};

static umode_t seamldr_visible(struct kobject *kobj, struct attribute *attr,
			       int idx)
{
	return tdx_model_td_preserving() ? attr->mode : 0;
}

static const struct attribute_group seamldr_group = {
	.attrs = seamldr_attrs,
	.is_visible = seamldr_visible,
};

static const struct attribute_group *tdx_host_groups[] = {
	&tdx_host_group,
	&seamldr_group,
	NULL,
};

#if IS_REACHABLE(CONFIG_FW_UPLOAD)
static enum fw_upload_err tdx_fw_prepare(struct fw_upload *fwl,
					 const u8 *data, u32 size)
{
	return FW_UPLOAD_ERR_NONE;
}

/* the whole update runs here; nothing is left for poll_complete */
static enum fw_upload_err tdx_fw_write(struct fw_upload *fwl, const u8 *data,
				       u32 offset, u32 size, u32 *written)
{
	if (emu_module_update(data, size))
		return FW_UPLOAD_ERR_FW_INVALID;
	*written = size;
	return FW_UPLOAD_ERR_NONE;
}

static enum fw_upload_err tdx_fw_poll_complete(struct fw_upload *fwl)
{
	return FW_UPLOAD_ERR_NONE;
}

/* an update cannot be cancelled */
static void tdx_fw_cancel(struct fw_upload *fwl)
{
}

static const struct fw_upload_ops tdx_fw_ops = {
	.prepare = tdx_fw_prepare,
	.write = tdx_fw_write,
	.poll_complete = tdx_fw_poll_complete,
	.cancel = tdx_fw_cancel,
};

static struct fw_upload *tdx_fwl;

static int tdx_upload_register(struct device *dev)
{
	if (!tdx_model_td_preserving())
		return 0;
	/*
	 * No module reference (upstream passes THIS_MODULE, which would pin
	 * this test module for good): unregistering at unload cancels and
	 * waits for an upload in flight first
	 */
	tdx_fwl = firmware_upload_register(NULL, dev, "tdx_module",
					   &tdx_fw_ops, NULL);
	if (IS_ERR(tdx_fwl)) {
		int ret = PTR_ERR(tdx_fwl);

		tdx_fwl = NULL;
		return ret;
	}
	return 0;
}

static void tdx_upload_unregister(void)
{
	if (tdx_fwl)
		firmware_upload_unregister(tdx_fwl);
	tdx_fwl = NULL;
}
#else
/* no CONFIG_FW_UPLOAD: the attributes only, no tdx_module */
static int tdx_upload_register(struct device *dev)
{
	return 0;
}

static void tdx_upload_unregister(void)
{
}
#endif

#ifdef TDXCTL_HAVE_FAUX
static struct faux_device *tdx_fdev;

static struct device *tdx_host_create(void)
{
	tdx_fdev = faux_device_create_with_groups("tdx_host", NULL, NULL,
						  tdx_host_groups);
	return tdx_fdev ? &tdx_fdev->dev : NULL;
}

static void tdx_host_destroy(void)
{
	faux_device_destroy(tdx_fdev);
	tdx_fdev = NULL;
}
#else
static struct device *faux_root;
static struct device *tdx_dev;

static void tdx_host_release(struct device *dev)
{
	kfree(dev);
}

static struct device *tdx_host_create(void)
{
	int ret;

	faux_root = root_device_register("faux");
	if (IS_ERR(faux_root)) {
		faux_root = NULL;
		return NULL;
	}
	tdx_dev = kzalloc(sizeof(*tdx_dev), GFP_KERNEL);
	if (!tdx_dev)
		goto err_root;
	tdx_dev->parent = faux_root;
	tdx_dev->groups = tdx_host_groups;
	tdx_dev->release = tdx_host_release;
	ret = dev_set_name(tdx_dev, "tdx_host");
	if (!ret)
		ret = device_register(tdx_dev);
	if (ret) {
		put_device(tdx_dev);
		tdx_dev = NULL;
		goto err_root;
	}
	return tdx_dev;

err_root:
	root_device_unregister(faux_root);
	faux_root = NULL;
	return NULL;
}

static void tdx_host_destroy(void)
{
	device_unregister(tdx_dev);
	tdx_dev = NULL;
	root_device_unregister(faux_root);
	faux_root = NULL;
}
#endif

/**
 * emu_tdx_host_init() - create the tdx_host device and the tdx_module
 * upload
 *
 * Return: 0 or a negative errno.
 */
int emu_tdx_host_init(void)
{
	struct device *dev;
	int ret;

	dev = tdx_host_create();
	if (!dev) {
		pr_err("cannot create the tdx_host device\n");
		return -ENODEV;
	}
	ret = tdx_upload_register(dev);
	if (ret) {
		pr_err("cannot register the tdx_module firmware upload: %d\n",
		       ret);
		tdx_host_destroy();
	}
	return ret;
}

void emu_tdx_host_exit(void)
{
	tdx_upload_unregister();
	tdx_host_destroy();
}
