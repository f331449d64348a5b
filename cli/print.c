// SPDX-License-Identifier: GPL-2.0-only
/*
 * print.c - text / JSON rendering of every field (see print.h)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <libsmartcols.h>

#include "config.h"
#include "cpulist.h"
#include "print.h"
#include "tdxctl.h"

#define MAX_DEPTH	16
#define LABEL_WIDTH	24

static struct {
	bool started;
	bool json;
	bool color;
	bool quiet;
	const char *command;
	json_object *root;
	json_object *stack[MAX_DEPTH];
	int depth;		/* container depth */
	bool indents[MAX_DEPTH];	/* this level printed a heading */
	int indent;		/* text indent level */
	json_object *error;
	bool streamed;		/* the command wrote its own stream (NDJSON) */
} P;

/* The errno of the first failed flush of stdout, 0 if none: the write
 * that failed left only the stream's error flag (close_stdout). */
static int out_errno;

int pr_flush(void)
{
	if (fflush(stdout) != 0 && !out_errno)
		out_errno = errno ? errno : EIO;
	return out_errno;
}

int pr_out_errno(void)
{
	return out_errno;
}

void pr_set_command(const char *name)
{
	P.command = name;
}

static bool want_color(void)
{
	const char *nc;

	if (g.json || g.color == 0)
		return false;
	if (g.color == 1)
		return true;
	nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	return isatty(STDOUT_FILENO);
}

static void start(void)
{
	if (P.started)
		return;
	P.started = true;
	P.json = g.json;
	P.quiet = g.quiet;
	P.color = want_color();
	P.depth = 0;
	if (P.json) {
		P.root = json_object_new_object();
		json_object_object_add(P.root, "schema_version", json_object_new_int(SCHEMA_VERSION));
		json_object_object_add(P.root, "command",
				       json_object_new_string(P.command ? P.command : "tdxctl"));
		json_object_object_add(P.root, "tool_version", json_object_new_string(TDXCTL_VERSION));
		P.stack[0] = P.root;
	}
}

bool pr_json(void)
{
	start();
	return P.json;
}

void pr_reset(void)
{
	if (P.root)
		json_object_put(P.root);
	if (P.error)
		json_object_put(P.error);
	memset(&P, 0, sizeof(P));
}

const char *pr_c(enum pr_color c)
{
	start();
	if (!P.color)
		return "";
	switch (c) {
	case C_GOOD: return "\033[32m";
	case C_BAD: return "\033[1;31m";
	case C_WARN: return "\033[33m";
	case C_DIM: return "\033[2m";
	case C_BOLD: return "\033[1m";
	case C_NONE: return "\033[0m";
	}
	return "";
}

static const char *scols_color(enum pr_color c)
{
	switch (c) {
	case C_GOOD: return "green";
	case C_BAD: return "red";
	case C_WARN: return "yellow";
	case C_DIM: return "gray";
	case C_BOLD: return "bold";
	case C_NONE: return NULL;
	}
	return NULL;
}

/* Length of the valid UTF-8 sequence at p (1-4), 0 if it is not one. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;

		return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;

		return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80 ? 4 : 0;
	}
	return 0;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		perror("tdxctl");
		exit(EXIT_FAILED);
	}
	return p;
}

char *pr_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = xmalloc(strlen(s) * 3 + 1), *o = out;

	while (*p) {
		size_t n = utf8_len(p);

		if (n) {
			memcpy(o, p, n);
			o += n;
			p += n;
		} else {
			memcpy(o, "\xEF\xBF\xBD", 3);	/* U+FFFD */
			o += 3;
			p++;
		}
	}
	*o = '\0';
	return out;
}

/* Bidirectional controls (U+061C, U+200E/F, U+202A-E, U+2066-9) and the
 * line and paragraph separators (U+2028/9): they reorder or break what a
 * terminal shows.  n: the length of the UTF-8 sequence at p. */
static bool invisible_control(const unsigned char *p, size_t n)
{
	if (n == 2)
		return p[0] == 0xD8 && p[1] == 0x9C;
	if (n != 3 || p[0] != 0xE2)
		return false;
	if (p[1] == 0x80)
		return p[2] == 0x8E || p[2] == 0x8F || (p[2] >= 0xA8 && p[2] <= 0xAE);
	return p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9;
}

char *pr_esc(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = xmalloc(strlen(s) * 4 + 1), *o = out;

	while (*p) {
		size_t n = utf8_len(p);

		/* C0 controls, DEL, C1 controls (U+0080-U+009F), bidi
		 * controls, bad bytes as \xNN; a backslash doubled, so that
		 * a literal "\x41" never looks like an escaped byte */
		if (n == 1 && *p == '\\') {
			*o++ = '\\';
			*o++ = '\\';
			p++;
		} else if (!n || (n == 1 && (*p < 0x20 || *p == 0x7F)) || (n == 2 && p[0] == 0xC2 && p[1] < 0xA0) ||
			   invisible_control(p, n)) {
			for (size_t i = 0; i < (n ? n : 1); i++)
				o += sprintf(o, "\\x%02x", p[i]);
			p += n ? n : 1;
		} else {
			memcpy(o, p, n);
			o += n;
			p += n;
		}
	}
	*o = '\0';
	return out;
}

/* A JSON string: invalid UTF-8 replaced (json-c escapes controls). */
static json_object *json_str(const char *s)
{
	char *u = pr_utf8(s);
	json_object *o = json_object_new_string(u);

	free(u);
	return o;
}

static json_object *to_json(struct pv v)
{
	char buf[32];
	json_object *a;

	switch (v.t) {
	case PV_NULL:
		return NULL;
	case PV_STR:
		return json_str(v.s);
	case PV_UINT:
		return json_object_new_uint64(v.u);
	case PV_INT:
		return json_object_new_int64(v.i);
	case PV_BOOL:
		return json_object_new_boolean(v.b);
	case PV_HEX:
		snprintf(buf, sizeof(buf), "0x%016" PRIx64, v.u);
		return json_object_new_string(buf);
	case PV_CPUS:
		a = json_object_new_array();
		cpuset_for_each(c, v.cpus)
			json_object_array_add(a, json_object_new_int(c));
		return a;
	}
	return NULL;
}

/* Text rendering without colour, into a malloc'd string. */
static char *to_text(struct pv v)
{
	char buf[64] = "";
	const char *s = buf;
	char *out, *cl = NULL;

	if (v.text) {
		s = v.text;
	} else {
		switch (v.t) {
		case PV_NULL: s = "-"; break;
		case PV_STR: s = v.s; break;
		case PV_UINT: snprintf(buf, sizeof(buf), "%" PRIu64, v.u); break;
		case PV_INT: snprintf(buf, sizeof(buf), "%" PRId64, v.i); break;
		case PV_BOOL: s = v.b ? "yes" : "no"; break;
		case PV_HEX: snprintf(buf, sizeof(buf), "0x%016" PRIx64, v.u); break;
		case PV_CPUS:
			cl = cpuset_format(v.cpus);
			s = *cl ? cl : "none";
			break;
		}
	}
	char *e = pr_esc(s);

	if (asprintf(&out, "%s%s", e, v.unit && v.t != PV_NULL ? v.unit : "") < 0) {
		perror("tdxctl");
		exit(1);
	}
	free(e);
	free(cl);
	return out;
}

static void json_add(const char *key, json_object *o)
{
	json_object *top = P.stack[P.depth];

	if (json_object_is_type(top, json_type_array))
		json_object_array_add(top, o);
	else
		json_object_object_add(top, key ? key : "?", o);
}

static bool text_on(void)
{
	start();
	return !P.json && !P.quiet;
}

void pr_kv(const char *key, const char *label, struct pv v)
{
	start();
	if (P.json) {
		if (key || json_object_is_type(P.stack[P.depth], json_type_array))
			json_add(key, to_json(v));
		return;
	}
	if (!label || P.quiet)
		return;

	char *t = to_text(v);
	int indent = 2 * P.indent;
	int w = LABEL_WIDTH - indent - (int)strlen(label) - 2;

	printf("%*s%s:%*s %s%s%s\n", indent, "", label, w > 0 ? w : 0, "",
	       v.color ? pr_c(v.color) : "", t, v.color ? pr_c(C_NONE) : "");
	free(t);
}

void pr_fmt(const char *key, const char *fmt, struct pv v)
{
	start();
	if (P.json) {
		if (key || json_object_is_type(P.stack[P.depth], json_type_array))
			json_add(key, to_json(v));
		return;
	}
	if (!fmt || P.quiet)
		return;

	char *t = to_text(v);
	char *ct = t;

	if (v.color && P.color && asprintf(&ct, "%s%s%s", pr_c(v.color), t, pr_c(C_NONE)) < 0)
		ct = t;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	printf(fmt, ct);
#pragma GCC diagnostic pop
	if (ct != t)
		free(ct);
	free(t);
}

static void push(const char *key, const char *label, json_object *o)
{
	start();
	if (P.depth + 1 >= MAX_DEPTH) {
		fprintf(stderr, "tdxctl: internal error: output nested too deep\n");
		abort();
	}
	if (P.json) {
		json_add(key, o);
		P.stack[++P.depth] = o;
		return;
	}
	if (label && !P.quiet)
		printf("%*s%s%s%s\n", 2 * P.indent, "", pr_c(C_BOLD), label, pr_c(C_NONE));
	P.depth++;
	P.indents[P.depth] = label != NULL;
	if (label)
		P.indent++;
}

void pr_obj_begin(const char *key, const char *label)
{
	start();
	push(key, label, P.json ? json_object_new_object() : NULL);
}

void pr_arr_begin(const char *key, const char *label)
{
	start();
	push(key, label, P.json ? json_object_new_array() : NULL);
}

void pr_obj_end(void)
{
	if (P.depth <= 0)
		return;
	if (!P.json && P.indents[P.depth])
		P.indent--;
	P.depth--;
}

void pr_arr_end(void)
{
	pr_obj_end();
}

void pr_text(const char *fmt, ...)
{
	va_list ap;

	if (!text_on())
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

bool pr_has_error(void)
{
	return P.error != NULL;
}

void pr_error(int code, const char *errno_name, const char *hint, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	start();
	if (P.error)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);

	P.error = json_object_new_object();
	json_object_object_add(P.error, "code", json_object_new_int(code));
	json_object_object_add(P.error, "name", json_object_new_string(exit_name(code)));
	json_object_object_add(P.error, "errno", errno_name ? json_object_new_string(errno_name) : NULL);
	json_object_object_add(P.error, "message", json_str(msg ? msg : "error"));
	json_object_object_add(P.error, "hint", hint ? json_str(hint) : NULL);
	/* -q silences stdout, never an error: with -q the JSON document
	 * is not printed, so the error goes to stderr; after a stream
	 * (NDJSON) stdout gets no document either */
	if (!P.json || P.quiet || P.streamed) {
		char *em = pr_esc(msg ? msg : "error"), *eh = hint ? pr_esc(hint) : NULL;

		pr_flush();
		fprintf(stderr, "tdxctl: %s\n", em);
		if (eh)
			fprintf(stderr, "hint: %s\n", eh);
		free(em);
		free(eh);
	}
	free(msg);
}

void pr_streamed(void)
{
	start();
	P.streamed = true;
}

int pr_finish(int rc)
{
	start();
	if (rc != 0 && !P.error)
		pr_error(rc, NULL, NULL, "%s", exit_name(rc));
	if (P.json && !P.streamed) {
		int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
		int pretty = g.json_pretty;

		if (pretty < 0)
			pretty = isatty(STDOUT_FILENO);
		flags |= pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
				: JSON_C_TO_STRING_PLAIN;
		/* A successful run says so explicitly: "error": null. */
		json_object_object_add(P.root, "error", rc ? json_object_get(P.error) : NULL);
		if (!P.quiet)
			printf("%s\n", json_object_to_json_string_ext(P.root, flags));
	}
	pr_flush();
	pr_reset();
	return rc;
}

/* ---- tables ---- */

int pr_cols_select(const struct pr_col *cols, size_t n, const char *spec,
		   int *sel, size_t *nsel, char *err, size_t errlen)
{
	char *copy, *tok, *save;
	size_t k = 0;

	if (!spec || *spec == '+') {
		for (size_t i = 0; i < n; i++)
			if (cols[i].flags & COL_DEFAULT)
				sel[k++] = (int)i;
		if (!spec) {
			*nsel = k;
			return 0;
		}
		spec++;
	}
	copy = strdup(spec);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < n; i++)
			if (!strcasecmp(tok, cols[i].key))
				break;
		if (i == n) {
			snprintf(err, errlen, "unknown column '%s'", tok);
			free(copy);
			return -EINVAL;
		}
		for (size_t j = 0; j < k; j++)
			if (sel[j] == (int)i)
				goto dup;
		if (k < n)
			sel[k++] = (int)i;
dup:;
	}
	free(copy);
	if (k == 0) {
		snprintf(err, errlen, "no columns selected");
		return -EINVAL;
	}
	*nsel = k;
	return 0;
}

struct pr_table {
	const struct pr_col *cols;
	size_t ncols;
	int sel[64];
	size_t nsel;
	struct libscols_table *tb;
	/* the current row: per selected column */
	struct pv vals[64];
	char *strs[64];		/* copies of string values */
	bool have[64];
};

struct pr_table *pr_table_begin(const char *key, const struct pr_col *cols, size_t ncols,
				const int *sel, size_t nsel)
{
	struct pr_table *t = calloc(1, sizeof(*t));

	if (!t || nsel > 64) {
		perror("tdxctl");
		exit(1);
	}
	start();
	t->cols = cols;
	t->ncols = ncols;
	memcpy(t->sel, sel, nsel * sizeof(int));
	t->nsel = nsel;
	if (P.json) {
		pr_arr_begin(key, NULL);
		return t;
	}
	t->tb = scols_new_table();
	if (!t->tb) {
		perror("tdxctl");
		exit(1);
	}
	scols_table_set_termforce(t->tb, SCOLS_TERMFORCE_NEVER);
	scols_table_enable_colors(t->tb, P.color);
	scols_table_enable_noheadings(t->tb, g.noheadings);
	scols_table_enable_raw(t->tb, g.raw);
	for (size_t i = 0; i < nsel; i++) {
		const struct pr_col *c = &cols[sel[i]];

		if (!scols_table_new_column(t->tb, c->header, 0,
					    (c->flags & COL_RIGHT) ? SCOLS_FL_RIGHT : 0)) {
			perror("tdxctl");
			exit(1);
		}
	}
	return t;
}

void pr_row_begin(struct pr_table *t)
{
	memset(t->have, 0, sizeof(t->have));
}

void pr_cell(struct pr_table *t, const char *key, struct pv v)
{
	for (size_t i = 0; i < t->nsel; i++) {
		if (strcmp(t->cols[t->sel[i]].key, key))
			continue;
		if (t->have[i])
			free(t->strs[i]);
		t->strs[i] = NULL;
		if (v.t == PV_STR) {
			t->strs[i] = strdup(v.s);
			v.s = t->strs[i];
		}
		t->vals[i] = v;
		t->have[i] = true;
		return;
	}
}

void pr_row_end(struct pr_table *t)
{
	struct libscols_line *ln = NULL;

	if (P.json) {
		pr_obj_begin(NULL, NULL);
	} else {
		ln = scols_table_new_line(t->tb, NULL);
		if (!ln) {
			perror("tdxctl");
			exit(1);
		}
	}
	for (size_t i = 0; i < t->nsel; i++) {
		struct pv v = t->have[i] ? t->vals[i] : pv_null(NULL);

		if (P.json) {
			json_add(t->cols[t->sel[i]].key, to_json(v));
		} else {
			char *s = to_text(v);

			scols_line_refer_data(ln, i, s);	/* the line owns s now */
			if (v.color && P.color)
				scols_cell_set_color(scols_line_get_cell(ln, i), scols_color(v.color));
		}
		if (t->have[i])
			free(t->strs[i]);
		t->strs[i] = NULL;
	}
	memset(t->have, 0, sizeof(t->have));
	if (P.json)
		pr_obj_end();
}

void pr_table_end(struct pr_table *t)
{
	if (P.json) {
		pr_arr_end();
	} else {
		if (!P.quiet) {
			pr_flush();
			scols_print_table(t->tb);
		}
		scols_unref_table(t->tb);
	}
	free(t);
}

void pr_cols_list(const struct pr_col *cols, size_t n)
{
	int w = 0;

	for (size_t i = 0; i < n; i++)
		if ((int)strlen(cols[i].key) > w)
			w = (int)strlen(cols[i].key);
	pr_arr_begin("columns", NULL);
	for (size_t i = 0; i < n; i++) {
		pr_obj_begin(NULL, NULL);
		pr_text("%-*s  ", w, cols[i].key);
		pr_fmt("name", NULL, pv_str(cols[i].key));
		pr_fmt("header", NULL, pv_str(cols[i].header));
		pr_fmt("default", NULL, pv_bool(cols[i].flags & COL_DEFAULT));
		pr_fmt("description", "%s", pv_str(cols[i].help));
		pr_text("%s\n", cols[i].flags & COL_DEFAULT ? " (default)" : "");
		pr_obj_end();
	}
	pr_arr_end();
}
