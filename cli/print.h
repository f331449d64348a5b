/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * print.h - the one printer of tdxctl.
 *
 * Every field is emitted once, through one of these calls, with both its
 * JSON key and its text form; the printer renders either text (stdout,
 * immediately) or one typed JSON document (at pr_finish()).  So text and
 * JSON carry the same fields and never drift.
 *
 * The JSON document is {"schema_version", "command", "tool_version",
 * <payload...>, "error"}; "error" is null on success.
 */
#ifndef TDXCTL_PRINT_H
#define TDXCTL_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cpuset;

enum pv_type { PV_NULL, PV_STR, PV_UINT, PV_INT, PV_BOOL, PV_HEX, PV_CPUS };
enum pr_color { C_NONE, C_GOOD, C_BAD, C_WARN, C_DIM, C_BOLD };

/* A typed value.  text/unit/color affect only the text rendering. */
struct pv {
	enum pv_type t;
	enum pr_color color;
	const char *unit;	/* appended in text, e.g. " KiB" */
	const char *text;	/* text rendering instead of the value */
	union {
		const char *s;
		uint64_t u;
		int64_t i;
		bool b;
		const struct cpuset *cpus;
	};
};

static inline struct pv pv_null(const char *text)
{
	return (struct pv){ .t = PV_NULL, .text = text };
}
static inline struct pv pv_str(const char *s)
{
	return s ? (struct pv){ .t = PV_STR, .s = s } : pv_null(NULL);
}
static inline struct pv pv_u(uint64_t u) { return (struct pv){ .t = PV_UINT, .u = u }; }
static inline struct pv pv_i(int64_t i) { return (struct pv){ .t = PV_INT, .i = i }; }
static inline struct pv pv_bool(bool b) { return (struct pv){ .t = PV_BOOL, .b = b }; }
/* 64-bit codes: JSON "0x%016llx" string */
static inline struct pv pv_hex(uint64_t u) { return (struct pv){ .t = PV_HEX, .u = u }; }
/* JSON array of CPU numbers; text: a CPU list ("none" when empty) */
static inline struct pv pv_cpus(const struct cpuset *c)
{
	return c ? (struct pv){ .t = PV_CPUS, .cpus = c } : pv_null(NULL);
}
static inline struct pv pv_color(struct pv v, enum pr_color c) { v.color = c; return v; }
static inline struct pv pv_unit(struct pv v, const char *u) { v.unit = u; return v; }
static inline struct pv pv_text(struct pv v, const char *t) { v.text = t; return v; }

/* Set up: command name of the envelope; options come from struct globals. */
void pr_set_command(const char *name);
/* Write the document (JSON) and return rc; sets a generic error for a
 * non-zero rc when none was set. */
int pr_finish(int rc);
/* The command streams its own output (monitor's NDJSON): pr_finish()
 * prints no document, and errors from then on go to stderr. */
void pr_streamed(void);
/* Flush stdout, remembering the errno of the first write that failed;
 * returns it (0: none so far). */
int pr_flush(void);
int pr_out_errno(void);
/* Discard everything (used by tests and after usage errors). */
void pr_reset(void);

/* "  label:      value" in text; "key": value in JSON.  label NULL: the
 * field has no text form of its own (rendered by a pr_fmt nearby). */
void pr_kv(const char *key, const char *label, struct pv v);
/* Text: printf(fmt, rendered value), fmt NULL prints nothing. */
void pr_fmt(const char *key, const char *fmt, struct pv v);
/* Nested object / array.  key NULL inside an array.  label: a heading
 * line in text (NULL: none); nesting indents text by two spaces. */
void pr_obj_begin(const char *key, const char *label);
void pr_obj_end(void);
void pr_arr_begin(const char *key, const char *label);
void pr_arr_end(void);
/* Text only (headings, blank lines, decoration). */
void pr_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Untrusted text made safe, malloc'd: for JSON, invalid UTF-8 replaced by
 * U+FFFD; for a terminal, control characters and invalid bytes as \xNN. */
char *pr_utf8(const char *s);
char *pr_esc(const char *s);
/* Colour escape for text, "" when colour is off. */
const char *pr_c(enum pr_color c);

/* The error object of the document.  Text: printed to stderr.  errno_name
 * may be NULL; hint may be NULL.  The first error set wins. */
void pr_error(int code, const char *errno_name, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool pr_has_error(void);
bool pr_json(void);

/* Tables: rendered by libsmartcols in text, an array of objects in JSON.
 * Only the selected columns are emitted, in selection order. */
#define COL_DEFAULT	1u
#define COL_RIGHT	2u

struct pr_col {
	const char *key;	/* JSON key and -o name */
	const char *header;	/* text header */
	unsigned flags;
	const char *help;
};

/* spec NULL: default columns; "a,b": exactly these; "+a,b": defaults
 * plus these.  Returns 0, or -EINVAL with a message naming the bad
 * column in err. */
int pr_cols_select(const struct pr_col *cols, size_t n, const char *spec,
		   int *sel, size_t *nsel, char *err, size_t errlen);

/* --list-columns / -o help: name (= JSON key), header, default, help */
void pr_cols_list(const struct pr_col *cols, size_t n);

struct pr_table;
struct pr_table *pr_table_begin(const char *key, const struct pr_col *cols, size_t ncols,
				const int *sel, size_t nsel);
void pr_row_begin(struct pr_table *t);
void pr_cell(struct pr_table *t, const char *key, struct pv v);
void pr_row_end(struct pr_table *t);
void pr_table_end(struct pr_table *t);

#endif
