// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_explain.c - tdxctl explain CODE|ERRNO|CHECK-ID
 */
#include <argp.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tdx/tdx_arch.h"
#include "print.h"
#include "tdxstatus.h"
#include "tdxctl.h"

struct explain_opts {
	const char *what;
	int list;
};

static const struct argp_option explain_options[] = {
	{ "list", 'l', NULL, 0, "List everything explain knows: status names, errno names, check IDs", 0 },
	{ 0 }
};

static error_t explain_parse(int key, char *arg, struct argp_state *state)
{
	struct explain_opts *o = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = NULL;
		return 0;
	case 'l':
		o->list = 1;
		return 0;
	case ARGP_KEY_ARG:
		if (o->what)
			argp_error(state, "one thing to explain at a time (got '%s' and '%s')", o->what, arg);
		o->what = arg;
		return 0;
	case ARGP_KEY_END:
		if (!o->what && !o->list && !g.show_version)
			argp_error(state, "what to explain? a TDX status code (0x...), an errno (EAGAIN, 11) or a check ID");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp explain_argp = {
	explain_options, explain_parse, "CODE|ERRNO|CHECK-ID",
	"Decode a TDX status code (hex or decimal, e.g. 0xC000050500000000, or a name such as "
	"TDX_SYS_BUSY), an errno (EAGAIN, 11, 0xb, -11) or a check ID (bios.keyids).\v"
	"A number is a TDX status code when it is 0 or has bits 63:32 set (where the status "
	"is), an errno when it is smaller; a bare 16-digit word is hex.",
	global_children, NULL, NULL
};

static bool is_hex_code(const char *s, uint64_t *v)
{
	const char *p = s;
	char *end;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	else if (strlen(s) != 16)
		return false;	/* bare hex only as a full 64-bit code */
	if (!*p || strlen(p) > 16)
		return false;
	for (const char *q = p; *q; q++)
		if (!isxdigit((unsigned char)*q))
			return false;
	errno = 0;
	*v = strtoull(p, &end, 16);
	return !errno && !*end;
}

/* Decimal, or hex with 0x; "-N" is an errno.  false if not a number. */
static bool parse_number(const char *s, uint64_t *v, bool *neg)
{
	const char *p = s;
	char *end;
	int base = 10;

	*neg = *p == '-';
	if (*neg)
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		if (!isxdigit((unsigned char)*p))
			return false;
	} else if (!isdigit((unsigned char)*p)) {
		return false;
	}
	errno = 0;
	*v = strtoull(p, &end, base);
	return !errno && !*end;
}

static void explain_status(uint64_t code)
{
	struct tdx_status_info i;
	char cls[64], opnd[64];

	tdx_status_decode(code, &i);
	pr_kv("kind", NULL, pv_str("tdx_status"));
	pr_obj_begin("tdx_status", NULL);
	pr_kv("code", "TDX status", pv_hex(code));
	pr_kv("name", "name", pv_str(i.name));
	pr_kv("description", "meaning", pv_str(i.desc ? i.desc : (code ? "not a status code this tool knows" : NULL)));
	snprintf(cls, sizeof(cls), "0x%02x (%s)", i.class, i.class_name);
	pr_kv("class", "class", pv_text(pv_u(i.class), cls));
	pr_kv("class_name", NULL, pv_str(i.class_name));
	pr_kv("error", "error", pv_bool(i.error));
	pr_kv("recoverable", "recoverable",
	      pv_text(pv_bool(i.retry),
		      !code ? "not an error: success" :
		      !i.error ? "not an error (informational or warning class)" :
		      i.class == 0xFF ? "no: the SEAMCALL did not reach a TDX module; calling again changes nothing" :
		      i.fatal ? "no: a fatal error, the TDX module is unusable until reboot" :
		      i.retry ? "yes: retrying the call may succeed" :
		      "no: the same call will fail again"));
	pr_kv("non_recoverable", NULL, pv_bool(i.non_recoverable));
	pr_kv("fatal", i.fatal ? "fatal" : NULL, pv_bool(i.fatal));
	pr_kv("host_recoverable", NULL, pv_bool(i.host_recoverable));
	if (i.operand_kind) {
		if (!strcmp(i.operand_kind, "register") && i.operand_name)
			snprintf(opnd, sizeof(opnd), "%s (register operand %u)", i.operand_name, i.operand);
		else if (!strcmp(i.operand_kind, "msr"))
			snprintf(opnd, sizeof(opnd), "MSR 0x%x", i.operand);
		else if (!strcmp(i.operand_kind, "tdmr"))
			snprintf(opnd, sizeof(opnd), "TDMR index %u", i.operand);
		else
			snprintf(opnd, sizeof(opnd), "%s 0x%x", i.operand_kind, i.operand);
		pr_kv("operand", "operand", pv_text(pv_u(i.operand), opnd));
	} else {
		pr_kv("operand", NULL, pv_null(NULL));
	}
	pr_kv("operand_kind", NULL, pv_str(i.operand_kind));
	pr_kv("operand_name", NULL, pv_str(i.operand_name));
	pr_kv("linux_errno", "Linux maps it to", pv_str(i.linux_errno));
	pr_obj_end();
}

static void explain_errno(int e)
{
	const struct errno_info *i = errno_lookup(e);

	pr_kv("kind", NULL, pv_str("errno"));
	pr_obj_begin("errno", NULL);
	pr_kv("number", "errno", pv_u((unsigned)e));
	pr_kv("name", "name", pv_str(strerrorname_np(e)));
	pr_kv("message", "message", pv_str(strerror(e)));
	pr_kv("meaning", "from the driver", pv_str(i ? i->meaning : NULL));
	pr_kv("action", "what to do", pv_str(i ? i->action : NULL));
	pr_kv("exit_code", "tdxctl exits with", pv_u((unsigned)exit_for_errno(e)));
	pr_obj_end();
}

static void explain_check(const struct check_def *c)
{
	pr_kv("kind", NULL, pv_str("check"));
	pr_obj_begin("check", NULL);
	pr_kv("id", "check", pv_str(c->id));
	pr_kv("title", "title", pv_str(c->title));
	pr_kv("category", "category", pv_str(c->category));
	pr_kv("requirement", "requirement", pv_str(requirement_name(c->req)));
	pr_kv("about", "what it checks", pv_str(c->about));
	pr_kv("fix", "how to fix", pv_str(c->fix));
	pr_obj_end();
}

static void explain_list(void)
{
	pr_kv("kind", NULL, pv_str("list"));
	pr_arr_begin("checks", "check IDs");
	for (unsigned i = 0; i < n_check_defs; i++)
		pr_fmt(NULL, "  %s\n", pv_str(check_defs[i].id));
	pr_arr_end();
	pr_arr_begin("update_checks", "module update pre-check IDs");
	for (unsigned i = 0; upd_check_defs[i].id; i++)
		pr_fmt(NULL, "  %s\n", pv_str(upd_check_defs[i].id));
	pr_arr_end();
	pr_arr_begin("errnos", "errno names");
	for (unsigned i = 0; i < errno_table_len; i++)
		pr_fmt(NULL, "  %s\n", pv_str(errno_table[i].name));
	pr_arr_end();
#define X(n, v, d) pr_fmt(NULL, "  " #n "\n", pv_str(#n));
	pr_arr_begin("tdx_statuses", "TDX status names");
	TDX_STATUS_LIST(X)
	pr_arr_end();
#undef X
}

int cmd_explain(int argc, char **argv)
{
	struct explain_opts o = { 0 };
	const struct errno_info *ei;
	const struct check_def *cd;
	uint64_t code;
	bool neg;
	char **av = calloc((size_t)argc + 2, sizeof(*av));
	static char dashdash[] = "--";
	int ac = 0, rc;

	if (!av) {
		perror("tdxctl");
		return EXIT_FAILED;
	}
	/* "explain -5": a negative errno, not an option */
	bool seen_dd = false;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			seen_dd = true;
		if (i > 0 && !seen_dd && argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9' &&
		    strspn(argv[i] + 1, "0123456789") == strlen(argv[i] + 1)) {
			av[ac++] = dashdash;
			seen_dd = true;
		}
		av[ac++] = argv[i];
	}
	rc = cmd_parse(&explain_argp, ac, av, &o);
	free(av);

	if (rc)
		return rc;
	if (o.list) {
		explain_list();
		return EXIT_OK;
	}
	/* A bare 16-digit hex word, or a name */
	if ((strlen(o.what) == 16 && is_hex_code(o.what, &code)) || tdx_status_by_name(o.what, &code)) {
		explain_status(code);
		return EXIT_OK;
	}
	if ((ei = errno_by_name(o.what))) {
		explain_errno(ei->err);
		return EXIT_OK;
	}
	/* A number, decimal or 0x hex: 0 and anything with bits 63:32 set is a
	 * TDX status code (the status lives there), a small one an errno. */
	if (parse_number(o.what, &code, &neg)) {
		if (neg && !code) {	/* -0: no errno is 0, and 0 as a status is TDX_SUCCESS */
			pr_error(EXIT_USAGE, NULL, "an errno is 1 to 4095 (EAGAIN, 11, -11); tdxctl explain 0 is TDX_SUCCESS",
				 "'%s' is not an errno", o.what);
			return EXIT_USAGE;
		}
		if (neg || (code && code <= 0xffffffffULL)) {
			if (code < 4096 && strerrorname_np((int)code)) {
				explain_errno((int)code);
				return EXIT_OK;
			}
			pr_error(EXIT_USAGE, NULL,
				 "TDX status codes carry their status in bits 63:32, e.g. 0xC000092000000000",
				 "%s is neither a TDX status code nor an errno", o.what);
			return EXIT_USAGE;
		}
		explain_status(code);
		return EXIT_OK;
	}
	if ((cd = check_def_find(o.what)) || (cd = upd_check_def_find(o.what))) {
		explain_check(cd);
		return EXIT_OK;
	}
	if (o.what[0] == 'E') {	/* any errno name, not only the driver's */
		for (int e = 1; e < 4096; e++) {
			const char *nm = strerrorname_np(e);

			if (nm && !strcmp(nm, o.what)) {
				explain_errno(e);
				return EXIT_OK;
			}
		}
	}
	pr_error(EXIT_USAGE, NULL,
		 "give a TDX status code (0x...), an errno (EAGAIN, 11) or a check ID (tdxctl explain --list)",
		 "nothing known as '%s'", o.what);
	return EXIT_USAGE;
}
