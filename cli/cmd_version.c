// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_version.c - tdxctl version (also tdxctl -V)
 */
#include <argp.h>

#include "config.h"
#include "dev.h"
#include "print.h"
#include "tdxstatus.h"
#include "tdxctl.h"

static const struct argp version_argp = {
	NULL, NULL, "", "Show the versions of tdxctl, of its JSON schema and of the driver's ABI.",
	global_children, NULL, NULL
};

int cmd_version(int argc, char **argv)
{
	struct drv d;
	int rc = cmd_parse(&version_argp, argc, argv, NULL);

	if (rc)
		return rc;

	drv_probe(&d, false);

	pr_obj_begin("tool", NULL);
	pr_kv("version", "tdxctl", pv_str(TDXCTL_VERSION));
	pr_kv("schema_version", "JSON schema version", pv_u(SCHEMA_VERSION));
	pr_kv("abi_version", "driver ABI (tdxctl)", pv_u(TDX_HOST_ABI_VERSION));
	pr_obj_end();

	pr_obj_begin("driver", "driver");
	pr_kv("loaded", "loaded", pv_bool(d.loaded));
	if (d.have_version) {
		pr_kv("version", "version", pv_str((const char *)d.ver.driver_version));
		pr_kv("abi_version", "ABI version", pv_u(d.ver.abi_version));
		pr_kv("backend", "backend", pv_str(tdx_backend_name(d.ver.backend)));
	} else {
		pr_kv("version", "version", pv_null(NULL));
		pr_kv("abi_version", "ABI version", pv_null(NULL));
		pr_kv("backend", "backend", pv_null(NULL));
	}
	pr_kv("reason", d.err ? "reason" : NULL, pv_str(drv_reason(&d)));
	pr_obj_end();
	drv_close(&d);
	/* A missing driver is not an error of "version". */
	return EXIT_OK;
}
