// SPDX-License-Identifier: GPL-2.0-only
/*
 * monitor.c - text and JSON forms of the events tdxctl monitor prints
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/tdx_host.h>
#include <linux/tdx_host_genl.h>

#include "monitor.h"
#include "tdxstatus.h"
#include "tdxctl.h"

static const char *const kind_names[MON_NKINDS] = {
	[MON_STATE] = "state",
	[MON_CPU_ENABLE] = "cpu-enable",
	[MON_CPU_ONLINE] = "cpu-online",
	[MON_CPU_OFFLINE] = "cpu-offline",
	[MON_FAILURE] = "failure",
	[MON_BACKEND] = "backend",
	[MON_MODULE_UPDATE] = "module-update",
	[MON_STATUS] = "status",
	[MON_EVENTS_LOST] = "events-lost",
	[MON_DRIVER_GONE] = "driver-gone",
};

const char *mon_kind_name(enum mon_kind k)
{
	return (unsigned)k < MON_NKINDS ? kind_names[k] : NULL;
}

int mon_kind_by_name(const char *name)
{
	for (int k = 0; k < MON_NKINDS; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -1;
}

bool mon_take(const struct mon_filter *f, struct mon_tally *t, struct mon_event *e)
{
	bool always = e->kind == MON_EVENTS_LOST || e->kind == MON_DRIVER_GONE;

	if (f->filtered && !always && !f->want[e->kind])
		return false;
	e->seq = ++t->seq;
	if (e->kind == MON_STATUS)
		return true;
	t->events++;
	if ((int)e->kind == f->until || (f->count && t->events >= f->count))
		t->done = true;
	return true;
}

int mon_kind_of_cmd(unsigned cmd)
{
	switch (cmd) {
	case TDX_HOST_CMD_STATE_NTF: return MON_STATE;
	case TDX_HOST_CMD_CPU_ENABLE_NTF: return MON_CPU_ENABLE;
	case TDX_HOST_CMD_CPU_ONLINE_NTF: return MON_CPU_ONLINE;
	case TDX_HOST_CMD_CPU_OFFLINE_NTF: return MON_CPU_OFFLINE;
	case TDX_HOST_CMD_FAILURE_NTF: return MON_FAILURE;
	case TDX_HOST_CMD_BACKEND_NTF: return MON_BACKEND;
	case TDX_HOST_CMD_MODULE_UPDATE_NTF: return MON_MODULE_UPDATE;
	}
	return -1;
}

void mon_set_version(struct mon_event *e, unsigned which, uint32_t major, uint32_t minor,
		     uint32_t update)
{
	uint32_t *v = which == MF_NEW_VER ? e->new_ver : e->old_ver;

	v[0] = major;
	v[1] = minor;
	v[2] = update;
	e->have |= which == MF_NEW_VER ? MF_NEW_VER : MF_OLD_VER;
}

/* "1.5.08" (the update two digits, as the kernel prints it), or "?" */
static void ver_text(const struct mon_event *e, unsigned which, char *buf, size_t len)
{
	const uint32_t *v = which == MF_NEW_VER ? e->new_ver : e->old_ver;

	if (e->have & which)
		snprintf(buf, len, "%u.%u.%02u", v[0], v[1], v[2]);
	else
		snprintf(buf, len, "?");
}

void mon_ts(const struct timespec *ts, char *buf, size_t len)
{
	struct tm tm;
	char sec[32];

	gmtime_r(&ts->tv_sec, &tm);
	strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06ldZ", sec, ts->tv_nsec / 1000);
}

/* ": step S, ENAME, TDX status 0x..." for a failure, "" when none */
static void failure_text(const struct mon_event *e, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (!(e->have & MF_ERRNO))
		return;
	if (e->have & MF_STEP)
		n += (size_t)snprintf(buf + n, len - n, " at %s", tdx_step_name(e->step));
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, ": %s", errno_name((int)e->err));
	if (n < len && (e->have & MF_TDX_STATUS))
		snprintf(buf + n, len - n, ", TDX status 0x%016" PRIx64 " %s", e->tdx_status,
			 tdx_status_name(e->tdx_status));
}

void mon_text(const struct mon_event *e, char *buf, size_t len)
{
	char ts[64], fail[160], cpu[24] = "";
	const char *name = mon_kind_name(e->kind);
	int n;

	mon_ts(&e->ts, ts, sizeof(ts));
	failure_text(e, fail, sizeof(fail));
	if (e->cpu >= 0)
		snprintf(cpu, sizeof(cpu), " cpu %d", e->cpu);
	n = snprintf(buf, len, "%s %s%s", ts, name ? name : "?", cpu);
	if (n < 0 || (size_t)n >= len)
		return;
	buf += n;
	len -= (size_t)n;

	switch (e->kind) {
	case MON_STATE:
		snprintf(buf, len, ": %s -> %s%s%s", tdx_state_name(e->old_state),
			 tdx_state_name(e->new_state), *fail ? ", failed" : "", fail);
		break;
	case MON_CPU_ENABLE:
		snprintf(buf, len, ": %s%s",
			 e->outcome == TDX_HOST_CPU_OUTCOME_ENABLED ? "enabled" : "failed", fail);
		break;
	case MON_CPU_ONLINE:
		if (e->have & MF_ERRNO)
			snprintf(buf, len, ": refused by the driver: %s, not initialized",
				 errno_name((int)e->err));
		else
			snprintf(buf, len, ": %s", e->initialized ? "initialized" : "not initialized");
		break;
	case MON_CPU_OFFLINE:
		snprintf(buf, len, ": %s", e->initialized ? "initialized" : "not initialized");
		break;
	case MON_FAILURE:
		snprintf(buf, len, ":%s (sticky until reboot)", *fail ? fail : " unknown");
		break;
	case MON_BACKEND:
		snprintf(buf, len, ": %s %s", tdx_backend_name(e->backend),
			 e->present ? "registered" : "gone");
		break;
	case MON_MODULE_UPDATE: {
		char o[40], nv[40];

		ver_text(e, MF_OLD_VER, o, sizeof(o));
		ver_text(e, MF_NEW_VER, nv, sizeof(nv));
		if (e->have & MF_ERRNO)
			snprintf(buf, len, ": from %s failed after the TDX module shut down%s "
				 "(the TDX module is lost until reboot)", o, fail);
		else
			snprintf(buf, len, ": %s -> %s", o, nv);
		break;
	}
	case MON_STATUS:
		if (e->have & MF_CPUS)
			snprintf(buf, len, ": %s, backend %s, %u of %u online CPUs enabled%s",
				 tdx_state_name(e->new_state), tdx_backend_name(e->backend),
				 e->cpus_enabled, e->cpus_online, fail);
		else
			snprintf(buf, len, ": no backend registered");
		break;
	case MON_EVENTS_LOST:
		snprintf(buf, len, ": the kernel dropped events (receive buffer overrun)");
		break;
	case MON_DRIVER_GONE:
		snprintf(buf, len, ": the driver (tdxctl.ko) was unloaded");
		break;
	default:
		break;
	}
}

static void add(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

static json_object *jhex(uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%016" PRIx64, v);
	return json_object_new_string(b);
}

/* step, errno, errno_name, tdx_status: null when not sent */
static void add_failure(json_object *d, const struct mon_event *e)
{
	add(d, "step", e->have & MF_STEP ? json_object_new_string(tdx_step_name(e->step)) : NULL);
	add(d, "errno", e->have & MF_ERRNO ? json_object_new_int((int)e->err) : NULL);
	add(d, "errno_name", e->have & MF_ERRNO ? json_object_new_string(errno_name((int)e->err)) : NULL);
	add(d, "tdx_status", e->have & MF_TDX_STATUS ? jhex(e->tdx_status) : NULL);
}

char *mon_json(const struct mon_event *e)
{
	json_object *o = json_object_new_object(), *d = json_object_new_object();
	char ts[64], *s;

	if (!o || !d) {
		json_object_put(o);
		json_object_put(d);
		return NULL;
	}
	mon_ts(&e->ts, ts, sizeof(ts));
	add(o, "seq", json_object_new_uint64(e->seq));
	add(o, "ts", json_object_new_string(ts));
	add(o, "event", json_object_new_string(mon_kind_name(e->kind)));
	add(o, "cpu", e->cpu >= 0 ? json_object_new_int(e->cpu) : NULL);

	switch (e->kind) {
	case MON_STATE:
		add(d, "old", json_object_new_string(tdx_state_name(e->old_state)));
		add(d, "new", json_object_new_string(tdx_state_name(e->new_state)));
		add_failure(d, e);
		break;
	case MON_CPU_ENABLE:
		add(d, "result", json_object_new_string(e->outcome == TDX_HOST_CPU_OUTCOME_ENABLED ?
							"enabled" : "failed"));
		add_failure(d, e);
		break;
	case MON_CPU_ONLINE:
		add(d, "initialized", json_object_new_boolean(e->initialized));
		add(d, "refused", json_object_new_boolean(e->have & MF_ERRNO));
		add(d, "errno", e->have & MF_ERRNO ? json_object_new_int((int)e->err) : NULL);
		add(d, "errno_name", e->have & MF_ERRNO ?
		    json_object_new_string(errno_name((int)e->err)) : NULL);
		break;
	case MON_CPU_OFFLINE:
		add(d, "initialized", json_object_new_boolean(e->initialized));
		break;
	case MON_FAILURE:
		add_failure(d, e);
		break;
	case MON_BACKEND:
		add(d, "backend", json_object_new_string(tdx_backend_name(e->backend)));
		add(d, "present", json_object_new_boolean(e->present));
		break;
	case MON_MODULE_UPDATE: {
		char v[40];

		ver_text(e, MF_OLD_VER, v, sizeof(v));
		add(d, "old_version", e->have & MF_OLD_VER ? json_object_new_string(v) : NULL);
		ver_text(e, MF_NEW_VER, v, sizeof(v));
		add(d, "new_version", e->have & MF_NEW_VER ? json_object_new_string(v) : NULL);
		add(d, "result", json_object_new_string(e->have & MF_ERRNO ? "failed" : "updated"));
		add_failure(d, e);
		break;
	}
	case MON_STATUS:
		add(d, "state", e->have & MF_CPUS ?
		    json_object_new_string(tdx_state_name(e->new_state)) : NULL);
		add(d, "backend", e->have & MF_CPUS ?
		    json_object_new_string(tdx_backend_name(e->backend)) : NULL);
		add(d, "cpus_online", e->have & MF_CPUS ? json_object_new_int64(e->cpus_online) : NULL);
		add(d, "cpus_enabled", e->have & MF_CPUS ? json_object_new_int64(e->cpus_enabled) : NULL);
		add_failure(d, e);
		break;
	default:
		break;
	}
	add(o, "data", d);
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}
