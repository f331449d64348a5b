// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_version.c - tdxctl version (also tdxctl -V)
 */
#include <argp.h>
#include <string.h>

#include "config.h"
#include "dev.h"
#include "print.h"
#include "tdxstatus.h"
#include "tdxctl.h"

static const struct argp version_argp = {
	NULL, NULL, "", "Show the versions of tdxctl, of its JSON schema and of the driver's ABI.",
	global_children, NULL, NULL
};

/* The versions; ask_driver: open the device and ask it (tdxctl version),
 * else only the tool's own (-V: the device is never opened). */
static int version_print(bool ask_driver)
{
	struct drv d;

	memset(&d, 0, sizeof(d));
	d.fd = -1;
	if (ask_driver)
		drv_probe(&d, false);
	else
		d.loaded = dev_driver_loaded();

	pr_obj_begin("tool", NULL);
	pr_kv("version", "tdxctl", pv_str(TDXCTL_VERSION));
	pr_kv("schema_version", "JSON schema version", pv_u(SCHEMA_VERSION));
	pr_kv("abi_version", "driver ABI (tdxctl)", pv_u(TDX_HOST_ABI_VERSION));
	pr_obj_end();

	pr_obj_begin("driver", ask_driver ? "driver" : NULL);
	if (!ask_driver) {	/* JSON only: the text of -V is the tool's */
		pr_kv("loaded", NULL, pv_bool(d.loaded));
		pr_kv("version", NULL, pv_null(NULL));
		pr_kv("abi_version", NULL, pv_null(NULL));
		pr_kv("backend", NULL, pv_null(NULL));
		pr_kv("reason", NULL, pv_str("not asked: -V does not open the device; tdxctl version does"));
	} else {
		bool v = d.have_version;

		pr_kv("loaded", "loaded", pv_bool(d.loaded));
		pr_kv("version", "version", v ? pv_str((const char *)d.ver.driver_version) : pv_null(NULL));
		pr_kv("abi_version", "ABI version", v ? pv_u(d.ver.abi_version) : pv_null(NULL));
		pr_kv("backend", "backend", v ? pv_str(tdx_backend_name(d.ver.backend)) : pv_null(NULL));
		pr_kv("reason", d.err ? "reason" : NULL, pv_str(drv_reason(&d)));
	}
	pr_obj_end();
	drv_close(&d);
	/* A missing driver is not an error of "version". */
	return EXIT_OK;
}

int cmd_version(int argc, char **argv)
{
	int rc = cmd_parse(&version_argp, argc, argv, NULL);

	if (rc)
		return rc;
	return version_print(true);
}

int cmd_version_tool(void)
{
	return version_print(false);
}
