// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_print.c - the printer: the same calls rendered as text and as JSON,
 * compared with golden strings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "cpulist.h"
#include "print.h"
#include "tdxctl.h"
#include "tap.h"

#define TDXCTL_VERSION_FOR_TEST TDXCTL_VERSION

/* Run fn with stdout going to a buffer; returns the text (malloc'd). */
static char *capture(void (*fn)(void), int rc)
{
	char path[] = "/tmp/tdxctl-print.XXXXXX";
	int fd = mkstemp(path), saved = dup(STDOUT_FILENO);
	char *buf = calloc(1, 65536);
	ssize_t n;

	fflush(stdout);
	dup2(fd, STDOUT_FILENO);
	pr_set_command("demo");
	fn();
	pr_finish(rc);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, 65535);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return buf;
}

static void fields(void)
{
	struct cpuset *s = cpuset_new(16);

	cpuset_set(s, 1);
	cpuset_set(s, 2);
	cpuset_set(s, 3);
	cpuset_set(s, 9);
	pr_obj_begin("module", "TDX module");
	pr_kv("state", "state", pv_str("initialized"));
	pr_kv("version", "version", pv_null(NULL));
	pr_kv("pamt_kb", "PAMT", pv_unit(pv_u(4100), " KiB"));
	pr_kv("features0", "features0", pv_hex(0x40002));
	pr_kv("loaded", "loaded", pv_bool(true));
	pr_kv("errno", NULL, pv_str("EIO"));
	pr_kv("delta", "delta", pv_i(-3));
	pr_obj_begin("guest_keyids", NULL);
	pr_kv("first", "first guest KeyID", pv_u(17));
	pr_obj_end();
	pr_kv("offline_list", "offline", pv_cpus(s));
	pr_kv("reason", "reason", pv_null("unknown"));
	pr_obj_end();
	pr_arr_begin("names", NULL);
	pr_fmt(NULL, "name %s\n", pv_str("a"));
	pr_fmt(NULL, NULL, pv_str("b"));
	pr_arr_end();
	pr_text("text only\n");
	cpuset_free(s);
}

static const char fields_text[] =
	"TDX module\n"
	"  state:                initialized\n"
	"  version:              -\n"
	"  PAMT:                 4100 KiB\n"
	"  features0:            0x0000000000040002\n"
	"  loaded:               yes\n"
	"  delta:                -3\n"
	"  first guest KeyID:    17\n"
	"  offline:              1-3,9\n"
	"  reason:               unknown\n"
	"name a\n"
	"text only\n";

static const char fields_json[] =
	"{\"schema_version\":2,\"command\":\"demo\",\"tool_version\":\"" TDXCTL_VERSION_FOR_TEST "\","
	"\"module\":{\"state\":\"initialized\",\"version\":null,\"pamt_kb\":4100,"
	"\"features0\":\"0x0000000000040002\",\"loaded\":true,\"errno\":\"EIO\",\"delta\":-3,"
	"\"guest_keyids\":{\"first\":17},\"offline_list\":[1,2,3,9],\"reason\":null},"
	"\"names\":[\"a\",\"b\"],\"error\":null}\n";

static const struct pr_col cols[] = {
	{ "cpu", "CPU", COL_DEFAULT | COL_RIGHT, NULL },
	{ "online", "ONLINE", COL_DEFAULT, NULL },
	{ "status", "STATUS", COL_DEFAULT, NULL },
	{ "extra", "EXTRA", 0, NULL },
};

static const char *table_spec;

static void table(void)
{
	int sel[8];
	size_t nsel;
	char err[128];
	struct pr_table *t;

	if (pr_cols_select(cols, 4, table_spec, sel, &nsel, err, sizeof(err)))
		return;
	t = pr_table_begin("rows", cols, 4, sel, nsel);
	for (unsigned c = 0; c < 3; c++) {
		pr_row_begin(t);
		pr_cell(t, "status", c == 1 ? pv_null(NULL) : pv_hex(c));
		pr_cell(t, "cpu", pv_u(c * 5));
		pr_cell(t, "online", pv_bool(c != 2));
		pr_cell(t, "extra", pv_str("x"));
		pr_row_end(t);
	}
	pr_table_end(t);
}

static void failing(void)
{
	pr_kv("partial", "partial", pv_u(1));
	pr_error(EXIT_BUSY, "EAGAIN", "fix the CPUs", "refused: CPUs %s", "3");
	pr_error(EXIT_FAILED, NULL, NULL, "second error is ignored");
}

static void coloured(void)
{
	pr_kv("state", "state", pv_color(pv_str("error"), C_BAD));
}

int main(void)
{
	char *out;
	int sel[8];
	size_t nsel;
	char err[128];

	plan(23);
	g.json_pretty = 0;
	g.color = 0;

	g.json = 0;
	out = capture(fields, 0);
	is_str(out, fields_text, "fields as text");
	free(out);
	g.json = 1;
	out = capture(fields, 0);
	is_str(out, fields_json, "fields as JSON");
	free(out);

	g.json = 0;
	table_spec = NULL;
	out = capture(table, 0);
	is_str(out, "CPU ONLINE STATUS\n"
		    "  0 yes    0x0000000000000000\n"
		    "  5 yes    -\n"
		    " 10 no     0x0000000000000002\n", "table as text, default columns");
	free(out);
	g.json = 1;
	out = capture(table, 0);
	ok(strstr(out, "\"rows\":[{\"cpu\":0,\"online\":true,\"status\":\"0x0000000000000000\"},"
		       "{\"cpu\":5,\"online\":true,\"status\":null},"
		       "{\"cpu\":10,\"online\":false,\"status\":\"0x0000000000000002\"}]") != NULL,
	   "table as JSON: typed cells, null, column order");
	free(out);
	table_spec = "extra,cpu";
	out = capture(table, 0);
	ok(strstr(out, "\"rows\":[{\"extra\":\"x\",\"cpu\":0},") != NULL, "-o extra,cpu: only those, in that order");
	free(out);
	g.json = 0;
	table_spec = "+extra";
	out = capture(table, 0);
	ok(!strncmp(out, "CPU ONLINE STATUS             EXTRA", 35), "+extra adds to the defaults (%.40s)", out);
	free(out);

	ok(pr_cols_select(cols, 4, "cpu,nope", sel, &nsel, err, sizeof(err)) == -EINVAL &&
	   strstr(err, "'nope'"), "unknown column named: %s", err);
	ok(pr_cols_select(cols, 4, "CPU,cpu", sel, &nsel, err, sizeof(err)) == 0 && nsel == 1,
	   "column names are case-insensitive, duplicates dropped");
	ok(pr_cols_select(cols, 4, "", sel, &nsel, err, sizeof(err)) == -EINVAL, "empty column list rejected");

	/* errors: JSON carries the first one; text goes to stderr */
	g.json = 1;
	out = capture(failing, EXIT_BUSY);
	ok(strstr(out, "\"partial\":1,\"error\":{\"code\":6,\"name\":\"busy\",\"errno\":\"EAGAIN\","
		       "\"message\":\"refused: CPUs 3\",\"hint\":\"fix the CPUs\"}}") != NULL,
	   "error object in JSON (%s)", out);
	free(out);
	out = capture(fields, EXIT_TIMEOUT);
	ok(strstr(out, "\"error\":{\"code\":7,\"name\":\"timeout\"") != NULL,
	   "non-zero exit without an error: a generic error object");
	free(out);
	g.json = 0;
	out = capture(failing, EXIT_BUSY);
	is_str(out, "partial:                1\n", "text: the error is not on stdout");
	free(out);

	/* -q: nothing at all on stdout, in both modes */
	g.quiet = 1;
	out = capture(fields, 0);
	is_str(out, "", "quiet text");
	free(out);
	g.json = 1;
	out = capture(fields, 0);
	is_str(out, "", "quiet JSON");
	free(out);
	g.quiet = 0;

	/* colour: text only */
	g.json = 0;
	g.color = 1;
	out = capture(coloured, 0);
	is_str(out, "state:                  \033[1;31merror\033[0m\n", "colour always");
	free(out);
	g.json = 1;
	out = capture(coloured, 0);
	ok(!strchr(out, '\033'), "never colour in JSON");
	free(out);
	g.json = 0;
	g.color = -1;
	out = capture(coloured, 0);
	ok(!strchr(out, '\033'), "auto: no colour when stdout is not a terminal");
	free(out);

	/* pretty JSON: same document, indented */
	g.json = 1;
	g.json_pretty = 1;
	out = capture(coloured, 0);
	ok(strstr(out, "{\n  \"schema_version\": 2,\n") != NULL, "pretty JSON is indented");
	free(out);

	/* text escapes: a literal backslash sequence and an escaped byte
	 * differ; bidi controls are escaped, other UTF-8 passes */
	out = pr_esc("\\x41 \x01");
	is_str(out, "\\\\x41 \\x01", "a literal \\x41 keeps its backslash escaped, a control byte is \\xNN");
	free(out);
	out = pr_esc("a\xe2\x80\xae" "b\xe2\x81\xa9" "c\xd8\x9c");
	is_str(out, "a\\xe2\\x80\\xaeb\\xe2\\x81\\xa9c\\xd8\\x9c", "U+202E, U+2069, U+061C escaped");
	free(out);
	out = pr_esc("\xe2\x80\xa8\xe2\x80\x8f");
	is_str(out, "\\xe2\\x80\\xa8\\xe2\\x80\\x8f", "U+2028 and U+200F escaped");
	free(out);
	out = pr_esc("caf\xc3\xa9 \xe2\x80\x94 \xe2\x81\xaa");
	is_str(out, "caf\xc3\xa9 \xe2\x80\x94 \xe2\x81\xaa", "other UTF-8 (e acute, em dash, U+206A) passes");
	free(out);
	out = pr_esc("\xff\\");
	is_str(out, "\\xff\\\\", "a bad byte and a backslash");
	free(out);

	return tap_done();
}
