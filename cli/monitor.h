/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * monitor.h - events of the driver's tdx_host netlink family as tdxctl
 * monitor prints them: one text line, or one compact JSON object (NDJSON),
 * per event.  Kept apart from the socket code so it can be unit-tested.
 */
#ifndef TDXCTL_MONITOR_H
#define TDXCTL_MONITOR_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

enum mon_kind {
	MON_STATE,		/* the TDX module's state changed */
	MON_CPU_ENABLE,		/* TDH.SYS.LP.INIT ran on a CPU */
	MON_CPU_ONLINE,		/* a CPU came online (as the driver saw it) */
	MON_CPU_OFFLINE,	/* a CPU went offline */
	MON_FAILURE,		/* the first sticky failure */
	MON_BACKEND,		/* a backend registered or went away */
	MON_MODULE_UPDATE,	/* a runtime update of the TDX module ran */
	MON_STATUS,		/* --status: the snapshot before the events */
	MON_EVENTS_LOST,	/* the socket overran: events were dropped */
	MON_DRIVER_GONE,	/* tdxctl.ko went away: the family is gone */
	MON_NKINDS,
};

/* mon_event.have bits: which fields below the kernel sent */
#define MF_OLD		(1u << 0)
#define MF_NEW		(1u << 1)
#define MF_STEP		(1u << 2)
#define MF_ERRNO	(1u << 3)
#define MF_TDX_STATUS	(1u << 4)
#define MF_OUTCOME	(1u << 5)
#define MF_INIT		(1u << 6)
#define MF_BACKEND	(1u << 7)
#define MF_PRESENT	(1u << 8)
#define MF_CPUS		(1u << 9)	/* status: cpus_online, cpus_enabled */
#define MF_OLD_VER	(1u << 10)	/* module-update: old_ver */
#define MF_NEW_VER	(1u << 11)	/* module-update: new_ver */

struct mon_event {
	enum mon_kind kind;
	uint64_t seq;		/* 1, 2, ... in the order printed */
	struct timespec ts;	/* CLOCK_REALTIME when it was received */
	int cpu;		/* -1: not about one CPU */
	unsigned have;		/* MF_* */
	uint32_t old_state, new_state, step, err, outcome, backend;
	uint32_t cpus_online, cpus_enabled;
	uint64_t tdx_status;
	bool initialized, present;
	uint32_t old_ver[3], new_ver[3];	/* module-update: major, minor, update */
};

/* What tdxctl monitor prints, and when it ends: its EVENT arguments,
 * --count and --until. */
struct mon_filter {
	unsigned long count;	/* 0: no limit */
	int until;		/* kind, -1: none */
	bool want[MON_NKINDS];	/* EVENT arguments; none: all */
	bool filtered;
};

struct mon_tally {
	uint64_t seq;		/* lines printed */
	uint64_t events;	/* events counted (the snapshot is not one) */
	bool done;		/* --count or --until reached */
};

/* Account for e: false when it is not printed (not asked for; events-lost
 * and driver-gone always are).  Else its seq is the next one, it counts
 * towards --count (the status snapshot does not), and --count or --until
 * reached sets t->done. */
bool mon_take(const struct mon_filter *f, struct mon_tally *t, struct mon_event *e);
/* The kind of a tdx_host event notification (TDX_HOST_CMD_*_NTF); -1 for
 * any other command. */
int mon_kind_of_cmd(unsigned cmd);
/* A module-update event's version (TDX_HOST_A_EV_{OLD,NEW}_VERSION_*):
 * which is MF_OLD_VER or MF_NEW_VER. */
void mon_set_version(struct mon_event *e, unsigned which, uint32_t major, uint32_t minor,
		     uint32_t update);

/* "state", "cpu-enable", ...; NULL for an out-of-range kind */
const char *mon_kind_name(enum mon_kind k);
/* kind by name; -1 if none */
int mon_kind_by_name(const char *name);
/* ISO-8601 UTC with microseconds: 2026-01-02T03:04:05.123456Z */
void mon_ts(const struct timespec *ts, char *buf, size_t len);
/* One text line, without the newline, into buf. */
void mon_text(const struct mon_event *e, char *buf, size_t len);
/* One compact JSON object, without the newline; malloc'd (NULL: no memory). */
char *mon_json(const struct mon_event *e);

#endif
