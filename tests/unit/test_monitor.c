// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_monitor.c - tdxctl monitor's event forms: the text line and the
 * NDJSON object of each kind, names, timestamps; and its own logic over a
 * fake stream of events: which command is which kind, what is printed
 * with EVENT arguments, the sequence numbers, --count and --until
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/tdx_host.h>
#include <linux/tdx_host_genl.h>
#include "monitor.h"
#include "tdxctl.h"
#include "tap.h"

static struct mon_event ev(enum mon_kind k, int cpu)
{
	/* 2026-01-02T03:04:05.000123Z */
	struct mon_event e = { .kind = k, .seq = 7, .cpu = cpu,
			       .ts = { .tv_sec = 1767323045, .tv_nsec = 123456 } };

	return e;
}

static void json_is(const struct mon_event *e, const char *want, const char *what)
{
	char *s = mon_json(e);

	is_str(s, want, "%s", what);
	free(s);
}

static void text_is(const struct mon_event *e, const char *want, const char *what)
{
	char line[512];

	mon_text(e, line, sizeof(line));
	is_str(line, want, "%s", what);
}

#define PFX "{\"seq\":7,\"ts\":\"2026-01-02T03:04:05.000123Z\","
#define NOFAIL "\"step\":null,\"errno\":null,\"errno_name\":null,\"tdx_status\":null"
#define T "2026-01-02T03:04:05.000123Z "

/* feed kinds[] (n of them) to mon_take; the seq of each ("-" when not
 * printed) into a string, and where t->done first became true (0: never) */
static void stream(const struct mon_filter *f, const enum mon_kind *kinds, size_t n,
		   char *seqs, size_t len, size_t *done_at)
{
	struct mon_tally t = { 0 };
	size_t o = 0;

	*done_at = 0;
	seqs[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		struct mon_event e = ev(kinds[i], -1);

		e.seq = 0;
		if (mon_take(f, &t, &e))
			o += (size_t)snprintf(seqs + o, len - o, "%s%llu", i ? " " : "", (unsigned long long)e.seq);
		else
			o += (size_t)snprintf(seqs + o, len - o, "%s-", i ? " " : "");
		if (t.done && !*done_at)
			*done_at = i + 1;
	}
}

static void monitor_logic(void)
{
	static const struct { unsigned cmd; int kind; } cmds[] = {
		{ TDX_HOST_CMD_STATE_NTF, MON_STATE }, { TDX_HOST_CMD_CPU_ENABLE_NTF, MON_CPU_ENABLE },
		{ TDX_HOST_CMD_CPU_ONLINE_NTF, MON_CPU_ONLINE }, { TDX_HOST_CMD_CPU_OFFLINE_NTF, MON_CPU_OFFLINE },
		{ TDX_HOST_CMD_FAILURE_NTF, MON_FAILURE }, { TDX_HOST_CMD_BACKEND_NTF, MON_BACKEND },
		{ TDX_HOST_CMD_MODULE_UPDATE_NTF, MON_MODULE_UPDATE },
		{ TDX_HOST_CMD_STATUS_GET, -1 }, { TDX_HOST_CMD_CPU_GET, -1 }, { 0, -1 }, { 99, -1 },
	};
	static const enum mon_kind mixed[] = {
		MON_STATUS, MON_CPU_ONLINE, MON_STATE, MON_CPU_ENABLE, MON_EVENTS_LOST, MON_CPU_OFFLINE,
		MON_STATE, MON_FAILURE, MON_DRIVER_GONE,
	};
	struct mon_filter f;
	char seqs[128];
	size_t done;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		ok(mon_kind_of_cmd(cmds[i].cmd) == cmds[i].kind, "command %u is kind %s", cmds[i].cmd,
		   cmds[i].kind < 0 ? "none" : mon_kind_name(cmds[i].kind));

	/* no EVENT arguments, no limit: all printed, numbered 1, 2, ... */
	f = (struct mon_filter){ .until = -1 };
	stream(&f, mixed, 9, seqs, sizeof(seqs), &done);
	is_str(seqs, "1 2 3 4 5 6 7 8 9", "unfiltered: every event printed, in sequence");
	ok(!done, "unfiltered, no --count or --until: never done");

	/* EVENT arguments state and status: the others are not printed and
	 * take no number; events-lost and driver-gone always are */
	f = (struct mon_filter){ .until = -1, .filtered = true };
	f.want[MON_STATE] = f.want[MON_STATUS] = true;
	stream(&f, mixed, 9, seqs, sizeof(seqs), &done);
	is_str(seqs, "1 - 2 - 3 - 4 - 5", "filtered: numbers without gaps, events-lost and driver-gone always");

	/* --count 3: the snapshot is no event; done at the third event */
	f = (struct mon_filter){ .until = -1, .count = 3 };
	stream(&f, mixed, 9, seqs, sizeof(seqs), &done);
	ok(done == 4, "--count 3: done at the third event after the snapshot (at %zu)", done);
	f.count = 1;
	stream(&f, mixed, 9, seqs, sizeof(seqs), &done);
	ok(done == 2, "--count 1: done at the first event (at %zu)", done);
	/* --count 2 with EVENT state: only printed events count */
	f = (struct mon_filter){ .until = -1, .count = 2, .filtered = true };
	f.want[MON_STATE] = true;
	stream(&f, mixed, 9, seqs, sizeof(seqs), &done);
	ok(done == 5, "--count 2 of state: events-lost is the second printed (at %zu)", done);

	/* --until cpu-offline: not at cpu-online */
	f = (struct mon_filter){ .until = MON_CPU_OFFLINE };
	stream(&f, mixed, 9, seqs, sizeof(seqs), &done);
	ok(done == 6, "--until cpu-offline: done at it, not before (at %zu)", done);
	f = (struct mon_filter){ .until = MON_FAILURE, .count = 100 };
	stream(&f, mixed, 9, seqs, sizeof(seqs), &done);
	ok(done == 8, "--until failure with a --count not reached (at %zu)", done);
}

int main(void)
{
	struct mon_event e;
	char buf[64];

	plan(24 + 10 + 8 + 5);

	monitor_logic();

	ok(mon_kind_by_name("cpu-online") == MON_CPU_ONLINE && mon_kind_by_name("nope") == -1,
	   "kind names round trip, unknown is -1");
	ok(!mon_kind_name(MON_NKINDS), "no name past the last kind");
	for (int k = 0, all = 1; k < MON_NKINDS; k++) {
		all &= mon_kind_by_name(mon_kind_name(k)) == k;
		if (k == MON_NKINDS - 1)
			ok(all, "every kind has a name that maps back");
	}
	e = ev(MON_STATE, -1);
	mon_ts(&e.ts, buf, sizeof(buf));
	is_str(buf, "2026-01-02T03:04:05.000123Z", "timestamp: ISO-8601 UTC, microseconds");

	e = ev(MON_STATE, -1);
	e.have = MF_OLD | MF_NEW;
	e.old_state = TDX_HOST_STATE_UNINITIALIZED;
	e.new_state = TDX_HOST_STATE_INITIALIZING;
	text_is(&e, T "state: uninitialized -> initializing", "state: text");
	json_is(&e, PFX "\"event\":\"state\",\"cpu\":null,\"data\":{\"old\":\"uninitialized\","
		"\"new\":\"initializing\"," NOFAIL "}}", "state: JSON");

	e.have |= MF_STEP | MF_ERRNO | MF_TDX_STATUS;
	e.old_state = TDX_HOST_STATE_INITIALIZING;
	e.new_state = TDX_HOST_STATE_ERROR;
	e.step = TDX_HOST_STEP_CONFIG;
	e.err = EIO;
	e.tdx_status = 0xc0000a1000000000ULL;
	text_is(&e, T "state: initializing -> error, failed at config: EIO, TDX status "
		"0xc0000a1000000000 TDX_INVALID_PAMT", "sticky failure: text");
	json_is(&e, PFX "\"event\":\"state\",\"cpu\":null,\"data\":{\"old\":\"initializing\","
		"\"new\":\"error\",\"step\":\"config\",\"errno\":5,\"errno_name\":\"EIO\","
		"\"tdx_status\":\"0xc0000a1000000000\"}}", "sticky failure: JSON");

	/* a backend that reports no TDX detail: errno only */
	e.have &= ~(MF_STEP | MF_TDX_STATUS);
	text_is(&e, T "state: initializing -> error, failed: EIO", "failure without detail: text");
	json_is(&e, PFX "\"event\":\"state\",\"cpu\":null,\"data\":{\"old\":\"initializing\","
		"\"new\":\"error\",\"step\":null,\"errno\":5,\"errno_name\":\"EIO\",\"tdx_status\":null}}",
		"failure without detail: JSON, unknown fields null");

	e = ev(MON_FAILURE, -1);
	e.have = MF_STEP | MF_ERRNO | MF_TDX_STATUS;
	e.step = TDX_HOST_STEP_KEY_CONFIG;
	e.err = EIO;
	e.tdx_status = 0x8000080000000000ULL;
	text_is(&e, T "failure: at key_config: EIO, TDX status 0x8000080000000000 "
		"TDX_KEY_GENERATION_FAILED (sticky until reboot)", "failure: text");
	json_is(&e, PFX "\"event\":\"failure\",\"cpu\":null,\"data\":{\"step\":\"key_config\","
		"\"errno\":5,\"errno_name\":\"EIO\",\"tdx_status\":\"0x8000080000000000\"}}", "failure: JSON");

	e = ev(MON_CPU_ENABLE, 3);
	e.have = MF_OUTCOME;
	e.outcome = TDX_HOST_CPU_OUTCOME_ENABLED;
	text_is(&e, T "cpu-enable cpu 3: enabled", "cpu-enable: text");
	json_is(&e, PFX "\"event\":\"cpu-enable\",\"cpu\":3,\"data\":{\"result\":\"enabled\","
		NOFAIL "}}", "cpu-enable: JSON");
	e.have |= MF_STEP | MF_ERRNO | MF_TDX_STATUS;
	e.outcome = TDX_HOST_CPU_OUTCOME_FAILED;
	e.step = TDX_HOST_STEP_LP_INIT;
	e.err = EIO;
	e.tdx_status = 0xc000050b00000000ULL;
	text_is(&e, T "cpu-enable cpu 3: failed at lp_init: EIO, TDX status 0xc000050b00000000 "
		"TDX_SYS_LP_INIT_NOT_PENDING", "cpu-enable failed: text");

	e = ev(MON_CPU_ONLINE, 4);
	e.have = MF_INIT | MF_ERRNO;
	e.err = EIO;
	text_is(&e, T "cpu-online cpu 4: refused by the driver: EIO, not initialized",
		"cpu-online refused: text");
	json_is(&e, PFX "\"event\":\"cpu-online\",\"cpu\":4,\"data\":{\"initialized\":false,"
		"\"refused\":true,\"errno\":5,\"errno_name\":\"EIO\"}}", "cpu-online refused: JSON");
	e.have = MF_INIT;
	e.initialized = true;
	text_is(&e, T "cpu-online cpu 4: initialized", "cpu-online: text");

	e = ev(MON_CPU_OFFLINE, 0);
	e.have = MF_INIT;
	json_is(&e, PFX "\"event\":\"cpu-offline\",\"cpu\":0,\"data\":{\"initialized\":false}}",
		"cpu-offline: JSON, CPU 0 is a number");

	e = ev(MON_BACKEND, -1);
	e.have = MF_BACKEND | MF_PRESENT;
	e.backend = TDX_HOST_BACKEND_EMULATED;
	text_is(&e, T "backend: emulated gone", "backend gone: text");
	json_is(&e, PFX "\"event\":\"backend\",\"cpu\":null,\"data\":{\"backend\":\"emulated\","
		"\"present\":false}}", "backend gone: JSON");

	e = ev(MON_MODULE_UPDATE, -1);
	mon_set_version(&e, MF_OLD_VER, 1, 5, 8);
	mon_set_version(&e, MF_NEW_VER, 1, 5, 9);
	text_is(&e, T "module-update: 1.5.08 -> 1.5.09", "module-update: text");
	json_is(&e, PFX "\"event\":\"module-update\",\"cpu\":null,\"data\":{\"old_version\":"
		"\"1.5.08\",\"new_version\":\"1.5.09\",\"result\":\"updated\"," NOFAIL "}}",
		"module-update: JSON");
	e = ev(MON_MODULE_UPDATE, -1);
	mon_set_version(&e, MF_OLD_VER, 1, 5, 8);
	e.have |= MF_ERRNO | MF_TDX_STATUS;
	e.err = EIO;
	e.tdx_status = 0x8000000000010005ULL;
	text_is(&e, T "module-update: from 1.5.08 failed after the TDX module shut down: EIO, "
		"TDX status 0x8000000000010005 unknown (the TDX module is lost until reboot)",
		"module-update failed: text");
	json_is(&e, PFX "\"event\":\"module-update\",\"cpu\":null,\"data\":{\"old_version\":"
		"\"1.5.08\",\"new_version\":null,\"result\":\"failed\",\"step\":null,\"errno\":5,"
		"\"errno_name\":\"EIO\",\"tdx_status\":\"0x8000000000010005\"}}",
		"module-update failed: JSON");

	e = ev(MON_EVENTS_LOST, -1);
	json_is(&e, PFX "\"event\":\"events-lost\",\"cpu\":null,\"data\":{}}", "events-lost: JSON");
	e = ev(MON_DRIVER_GONE, -1);
	text_is(&e, T "driver-gone: the driver (tdxctl.ko) was unloaded", "driver-gone: text");

	e = ev(MON_STATUS, -1);
	text_is(&e, T "status: no backend registered", "status without a backend: text");
	return tap_done();
}
