// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - tdxctl: global options, the command table and dispatch
 */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "print.h"
#include "sysroot.h"
#include "tdxctl.h"

/* ---- global options (a child of every command's argp) ---- */

enum { OPT_COLOR = 0x100, OPT_DEVICE, OPT_SYSROOT, OPT_PRETTY, OPT_LIST_COLUMNS };
/* room left under PATH_MAX for the longest path read below the sysroot */
#define SYSROOT_MAX (PATH_MAX - 256)

static const struct argp_option global_options[] = {
	{ NULL, 0, NULL, 0, "Global options:", -1 },
	{ "json", 'j', "STYLE", OPTION_ARG_OPTIONAL,
	  "JSON output (one document); STYLE pretty or compact (default: pretty on a terminal, compact otherwise)", -1 },
	{ NULL, 'J', NULL, 0, "Same as --json", -1 },
	{ "pretty", OPT_PRETTY, NULL, 0, "Indented JSON (implies --json)", -1 },
	{ "cpu", 'c', "LIST", 0,
	  "CPUs to act on: N, A-B, A-B:STEP, comma lists, all, present, possible, online, offline", -1 },
	{ "quiet", 'q', NULL, 0, "Print nothing on stdout; the exit status is unchanged", -1 },
	{ "verbose", 'v', NULL, 0, "More detail (evidence, hints); twice: trace ioctls and files on stderr", -1 },
	{ "color", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL,
	  "Colour text output: auto (default; honours NO_COLOR), always, never", -1 },
	{ "device", OPT_DEVICE, "PATH", 0, "Driver device (default /dev/tdx_host under --sysroot)", -1 },
	{ "sysroot", OPT_SYSROOT, "DIR", 0,
	  "Read sysfs, proc, dev and the kernel log under DIR (replay of another host)", -1 },
	{ "version", 'V', NULL, 0, "Print tool, JSON schema and driver ABI versions (anywhere on the line)", -1 },
	{ NULL, 'h', NULL, 0, "Same as --help", -1 },
	{ 0 }
};

static int parsing_root;
static unsigned cmd_rejects;	/* G_* bits the running command has no use for */
static int in_parse;

static error_t global_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'j':
		g.json = 1;
		if (arg && *arg == '=')	/* -j=pretty */
			arg++;
		if (!arg)
			g.json_pretty = -1;
		else if (!strcmp(arg, "pretty"))
			g.json_pretty = 1;
		else if (!strcmp(arg, "compact"))
			g.json_pretty = 0;
		else
			argp_error(state, "invalid JSON style '%s' (pretty or compact)", arg);
		return 0;
	case 'J':
		g.json = 1;
		return 0;
	case OPT_PRETTY:
		g.json = 1;
		g.json_pretty = 1;
		return 0;
	case 'h':
		argp_state_help(state, state->out_stream, ARGP_HELP_STD_HELP);
		return 0;
	case 'c':
		g.cpu_arg = arg;
		g.given |= G_CPU;
		return 0;
	case 'q':
		g.quiet = 1;
		return 0;
	case 'v':
		g.verbose++;
		return 0;
	case OPT_COLOR:
		if (!arg || !strcmp(arg, "auto"))
			g.color = -1;
		else if (!strcmp(arg, "always"))
			g.color = 1;
		else if (!strcmp(arg, "never"))
			g.color = 0;
		else
			argp_error(state, "invalid --color value '%s' (auto, always or never)", arg);
		return 0;
	case OPT_DEVICE:
		g.device = arg;
		g.given |= G_DEVICE;
		return 0;
	case OPT_SYSROOT: {
		struct stat st;

		/* a tree to replay: it exists, it is a directory, and every
		 * path under it fits (nothing is cut short or falls back to /) */
		if (strlen(arg) > SYSROOT_MAX) {
			argp_error(state, "--sysroot: path longer than %d bytes", SYSROOT_MAX);
			return 0;
		}
		if (stat(arg, &st) < 0) {
			argp_error(state, "--sysroot %s: %s", arg, strerror(errno));
			return 0;
		}
		if (!S_ISDIR(st.st_mode)) {
			argp_error(state, "--sysroot %s: %s", arg, strerror(ENOTDIR));
			return 0;
		}
		g.sysroot = arg;
		g.given |= G_SYSROOT;
		sr_set(arg);
		return 0;
	}
	case 'V':
		/* anywhere: the rest of the line is not looked at */
		g.show_version = 1;
		if (!parsing_root)
			state->next = state->argc;
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp global_argp = { global_options, global_parse, NULL, NULL, NULL, NULL, NULL };

const struct argp_child global_children[2] = {
	{ &global_argp, 0, NULL, 0 },
	{ 0 }
};

/* ---- table options (commands that print a table) ---- */

static const struct argp_option table_options[] = {
	{ NULL, 0, NULL, 0, "Table options:", -2 },
	{ "noheadings", 'n', NULL, 0, "Text table without its header line", -2 },
	{ "raw", 'r', NULL, 0, "Text table in raw form: columns separated by one space", -2 },
	{ "list-columns", OPT_LIST_COLUMNS, NULL, 0,
	  "List the columns (names are the JSON keys) and exit; also -o help", -2 },
	{ 0 }
};

static error_t table_parse(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	switch (key) {
	case 'n':
		g.noheadings = 1;
		return 0;
	case 'r':
		g.raw = 1;
		return 0;
	case OPT_LIST_COLUMNS:
		g.list_columns = 1;
		return 0;
	case ARGP_KEY_END:
		/* they shape text only: with JSON they would be ignored */
		if (g.json && (g.noheadings || g.raw))
			argp_error(state, "%s shapes the text table; JSON has no use for it",
				   g.noheadings ? "--noheadings" : "--raw");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp table_argp = { table_options, table_parse, NULL, NULL, NULL, NULL, NULL };

const struct argp_child table_children[3] = {
	{ &global_argp, 0, NULL, 0 },
	{ &table_argp, 0, NULL, 0 },
	{ 0 }
};

/* argp names the program "tdxctl CMD"; every error line of tdxctl starts
 * with "tdxctl: ", so "tdxctl CMD: msg" becomes "tdxctl: CMD: msg". */
static char *usage_rewrite(const char *buf)
{
	size_t n = strlen(buf);
	char *out = malloc(n * 2 + 1), *o = out;
	const char *line = buf;

	if (!out)
		return NULL;
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
		const char *colon = memchr(line, ':', len);

		if (!strncmp(line, "tdxctl ", 7) && colon && colon[1] == ' ' &&
		    !memchr(line, '`', (size_t)(colon - line)) && !memchr(line, '\'', (size_t)(colon - line))) {
			memcpy(o, "tdxctl: ", 8);
			o += 8;
			memcpy(o, line + 7, len - 7);
			o += len - 7;
		} else {
			memcpy(o, line, len);
			o += len;
		}
		line += len;
	}
	*o = '\0';
	return out;
}

/*
 * What argp and getopt print on stderr while parsing (getopt writes to
 * fd 2 itself) is caught in a memfd, rewritten by usage_rewrite(), then
 * printed.
 */
static int saved_stderr = -1, cap_fd = -1;

static void capture_begin(void)
{
	fflush(stderr);
	cap_fd = memfd_create("tdxctl-usage", MFD_CLOEXEC);
	if (cap_fd < 0)
		return;
	saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved_stderr < 0 || dup2(cap_fd, STDERR_FILENO) < 0) {
		close(cap_fd);
		cap_fd = -1;
	}
}

/* The caught text, rewritten, malloc'd ("" when nothing); NULL if none. */
static char *capture_end(void)
{
	char *buf, *text;
	off_t len;

	if (cap_fd < 0)
		return NULL;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	len = lseek(cap_fd, 0, SEEK_END);
	buf = calloc(1, len > 0 ? (size_t)len + 1 : 1);
	if (buf && len > 0 && pread(cap_fd, buf, (size_t)len, 0) != len)
		buf[0] = '\0';
	close(cap_fd);
	cap_fd = -1;
	if (!buf)
		return NULL;
	text = usage_rewrite(buf);
	free(buf);
	return text;
}

/* A usage error inside argp ends the process (exit 2); still leave a
 * JSON document on stdout when JSON was asked for. */
static void usage_atexit(void)
{
	char *text;

	if (!in_parse)
		return;
	in_parse = 0;
	text = capture_end();
	if (!text)
		return;
	fputs(text, stderr);
	if (g.json && *text) {
		char *msg = strdup(text), *nl;

		if (msg && !strncmp(msg, "Try ", 4)) {
			free(msg);
			msg = strdup("unrecognized option or missing argument (details on stderr)");
		}
		if (msg && (nl = strchr(msg, '\n')))
			*nl = '\0';
		g.quiet = 0;
		pr_error(EXIT_USAGE, NULL, "see tdxctl --help", "%s", msg ? msg : "usage error");
		free(msg);
		pr_finish(EXIT_USAGE);
	}
	free(text);
}

static int parse_flags(const struct argp *argp, int argc, char **argv, void *input, unsigned flags)
{
	char *text;
	int r;

	capture_begin();
	in_parse = 1;
	r = argp_parse(argp, argc, argv, flags, NULL, input);
	in_parse = 0;
	text = capture_end();
	if (text)
		fputs(text, stderr);
	free(text);
	if (r) {
		pr_error(EXIT_USAGE, NULL, "see tdxctl --help", "invalid arguments");
		return EXIT_USAGE;
	}
	if (!parsing_root && g.show_version)
		return CMD_SHOW_VERSION;
	if (!parsing_root && (g.given & cmd_rejects)) {
		unsigned bad = g.given & cmd_rejects;

		pr_error(EXIT_USAGE, NULL, "tdxctl COMMAND --help lists what a command takes",
			 "%s would be ignored by this command", bad & G_CPU ? "-c/--cpu" :
			 bad & G_SYSROOT ? "--sysroot" : "--device");
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_parse(const struct argp *argp, int argc, char **argv, void *input)
{
	return parse_flags(argp, argc, argv, input, 0);
}

/* ---- command table ---- */

struct command {
	const char *group;	/* "cpu", "module" or NULL */
	const char *name;
	const char *alias;
	const char *args;
	int (*run)(int argc, char **argv);
	const char *summary;
	unsigned rejects;	/* global options it would ignore (G_*) */
};

static const struct command commands[] = {
	{ NULL, "status", NULL, "", cmd_status,
	  "TDX state: driver, TDX module, KeyIDs, PAMT, CPUs", 0 },
	{ NULL, "enable", NULL, "", cmd_enable,
	  "Enable TDX: every online CPU, then the TDX module", 0 },
	{ "cpu", "list", NULL, "[LIST]", cmd_cpu_list, "Per-CPU TDX state as a table", 0 },
	{ "cpu", "enable", NULL, "LIST", cmd_cpu_enable, "Enable TDX on the listed CPUs", 0 },
	{ "module", "enable", NULL, "", cmd_module_enable,
	  "Initialize the TDX module (CPUs enabled first)", 0 },
	{ "module", "update", NULL, "FILE", cmd_module_update,
	  "Update the TDX module without stopping TDs (pre-checks first)", G_CPU },
	{ "module", "versions", NULL, "", cmd_module_versions,
	  "Running TDX module, P-SEAMLDR, updates left; which release fits", G_CPU },
	{ NULL, "check", "ok", "", cmd_check, "Check TDX prerequisites (BIOS, CPUs, kernel)", 0 },
	{ NULL, "explain", NULL, "WHAT", cmd_explain,
	  "Decode a TDX status code, an errno or a check ID", G_CPU | G_SYSROOT | G_DEVICE },
	{ NULL, "diag", NULL, "", cmd_diag,
	  "Collect a support bundle that replays offline (--verify FILE checks one)", G_CPU },
	{ NULL, "monitor", NULL, "[EVENT...]", cmd_monitor,
	  "Print the driver's events as they happen (NDJSON with --json)", G_CPU | G_SYSROOT | G_DEVICE },
	{ NULL, "version", NULL, "", cmd_version, "Show tool, JSON schema and driver ABI versions",
	  G_CPU },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char exit_table[] =
	"Exit status:\n"
	"  0  success; for check: every required check passed\n"
	"  1  failure: the operation failed or a required check failed\n"
	"  2  usage error: bad option, argument or CPU list\n"
	"  3  partial success: some CPUs succeeded, some failed; for diag: the\n"
	"     bundle was written, some sources could not be collected\n"
	"  4  not supported or not applicable: no driver, no TDX, virtual machine\n"
	"  5  permission denied (run as root)\n"
	"  6  busy or state conflict: CPUs not ready, or the TDX module failed\n"
	"     earlier (sticky until reboot)\n"
	"  7  timeout\n"
	"  8  unknown: for check, a required check could not be run (missing\n"
	"     evidence: no MSR access, unreadable files); --strict: any check\n";

static char root_doc[4096];

static void build_root_doc(void)
{
	size_t off = 0;

	off += (size_t)snprintf(root_doc + off, sizeof(root_doc) - off,
		"Bring Intel TDX up on this host on demand and report its state.\v"
		"Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];
		char name[48];

		snprintf(name, sizeof(name), "%s%s%s%s%s%s%s", c->group ? c->group : "",
			 c->group ? " " : "", c->name, *c->args ? " " : "", c->args,
			 c->alias ? ", " : "", c->alias ? c->alias : "");
		off += (size_t)snprintf(root_doc + off, sizeof(root_doc) - off, "  %-20s %s\n",
					name, c->summary);
	}
	snprintf(root_doc + off, sizeof(root_doc) - off,
		 "\n'tdxctl COMMAND --help' shows the options of a command.\n\n%s\n"
		 "Report bugs with the output of 'tdxctl --json check -v'.", exit_table);
}

static int cmd_index;

static error_t root_parse(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = state->input;
		return 0;
	case ARGP_KEY_ARG:
		/* The first non-option is the command: stop here. */
		cmd_index = state->next - 1;
		state->next = state->argc;
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp root_argp = {
	NULL, root_parse, "COMMAND [ARGS...]", root_doc, global_children, NULL, NULL
};

/* Turn on JSON early so usage errors found by argp still produce it. */
static void prescan_json(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			break;
		if ((!strncmp(a, "--json", 6) && (a[6] == '\0' || a[6] == '=')) || !strcmp(a, "--pretty"))
			g.json = 1;
		else if (a[0] == '-' && a[1] != '-' && strspn(a + 1, "jJqvVnr") == strlen(a + 1) &&
			 strpbrk(a + 1, "jJ"))
			g.json = 1;
	}
}

static const struct command *find_command(int argc, char **argv, int i, int *used)
{
	const char *w = argv[i];
	const char *w2 = i + 1 < argc ? argv[i + 1] : NULL;

	for (size_t k = 0; k < NCOMMANDS; k++) {
		const struct command *c = &commands[k];

		if (c->group) {
			if (strcmp(w, c->group) || !w2 || strcmp(w2, c->name))
				continue;
			*used = 2;
			return c;
		}
		if (!strcmp(w, c->name) || (c->alias && !strcmp(w, c->alias))) {
			*used = 1;
			return c;
		}
	}
	return NULL;
}

/* ---- standard streams ---- */

static int stdout_was_closed;
static int final_rc;

/* A closed 0, 1 or 2 would be reused by the next open() (a device, an
 * MSR file) and output would go there: hold them with /dev/null. */
static void hold_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int n;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		n = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
		if (n >= 0 && n != fd)
			close(n);
		if (fd == 1)
			stdout_was_closed = 1;
	}
}

/*
 * At exit, as util-linux close_stdout(): a failed write to stdout is an
 * error with a message (exit 1, or the command's own failure code); a
 * reader that went away (EPIPE) is not.
 */
static void close_stdout(void)
{
	bool pending = __fpending(stdout) != 0;
	int e = 0;

	if (fflush(stdout) != 0)
		e = errno;
	if (ferror(stdout) && !e)
		e = pr_out_errno();
	if (ferror(stdout) && !e) {
		/* the failed write's errno is gone; a pipe without a reader
		 * still shows as POLLERR */
		struct pollfd pfd = { .fd = STDOUT_FILENO, .events = 0 };

		e = poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR) ? EPIPE : EIO;
	}
	if (fclose(stdout) != 0 && !e && (errno != EBADF || pending))
		e = errno;
	if (!e && stdout_was_closed && !g.quiet)
		e = EBADF;
	if (e && e != EPIPE) {
		fprintf(stderr, "tdxctl: write error: %s\n", strerror(e));
		_exit(final_rc ? final_rc : EXIT_FAILED);
	}
}

static int run(int argc, char **argv);

int main(int argc, char **argv)
{
	hold_std_fds();
	atexit(close_stdout);
	final_rc = run(argc, argv);
	return final_rc;
}

static int run(int argc, char **argv)
{
	const struct command *cmd;
	static char progname_root[] = "tdxctl";
	char name[64], progname[80];
	char *argv0;
	char **sub;
	int used = 0, rc, subc;

	argp_err_exit_status = EXIT_USAGE;
	prescan_json(argc, argv);
	atexit(usage_atexit);
	build_root_doc();

	pr_set_command("tdxctl");
	/* In order: stop at the command, leave its options to it.  The
	 * program is "tdxctl" in every message, not the path it was run by
	 * (getopt prints argv[0] as it is). */
	parsing_root = 1;
	argv0 = argv[0];
	argv[0] = progname_root;
	rc = parse_flags(&root_argp, argc, argv, NULL, ARGP_IN_ORDER);
	argv[0] = argv0;
	parsing_root = 0;
	if (rc)
		return pr_finish(rc);

	if (!cmd_index || g.show_version) {
		if (g.show_version) {
			g.show_version = 0;
			pr_set_command("version");
			return pr_finish(cmd_version_tool());
		}
		pr_error(EXIT_USAGE, NULL, "run 'tdxctl --help' for the list of commands",
			 "no command given");
		return pr_finish(EXIT_USAGE);
	}

	cmd = find_command(argc, argv, cmd_index, &used);
	if (!cmd) {
		const char *w = argv[cmd_index];

		const char *w2 = cmd_index + 1 < argc ? argv[cmd_index + 1] : NULL;
		const char *subs = !strcmp(w, "cpu") ? "list or enable" : "enable, update or versions";

		if ((!strcmp(w, "cpu") || !strcmp(w, "module")) && w2 && w2[0] != '-')
			pr_error(EXIT_USAGE, NULL, "see tdxctl --help",
				 "unknown subcommand '%s' of '%s' (%s)", w2, w, subs);
		else if (!strcmp(w, "cpu") || !strcmp(w, "module"))
			pr_error(EXIT_USAGE, NULL, "see tdxctl --help",
				 "'%s' needs a subcommand: %s", w, subs);
		else
			pr_error(EXIT_USAGE, NULL, "run 'tdxctl --help' for the list of commands",
				 "unknown command '%s'", w);
		return pr_finish(EXIT_USAGE);
	}

	snprintf(name, sizeof(name), "%s%s%s", cmd->group ? cmd->group : "",
		 cmd->group ? " " : "", cmd->name);
	snprintf(progname, sizeof(progname), "tdxctl %s", name);
	pr_set_command(name);

	/* argv for the command: "tdxctl CMD" then what follows it */
	subc = argc - cmd_index - used + 1;
	sub = calloc((size_t)subc + 1, sizeof(*sub));
	if (!sub) {
		perror("tdxctl");
		return EXIT_FAILED;
	}
	sub[0] = progname;
	for (int i = 1; i < subc; i++)
		sub[i] = argv[cmd_index + used + i - 1];

	cmd_rejects = cmd->rejects;
	rc = cmd->run(subc, sub);
	free(sub);
	if (rc == CMD_SHOW_VERSION) {	/* -V after the command */
		pr_reset();
		pr_set_command("version");
		cmd_rejects = 0;
		g.show_version = 0;
		return pr_finish(cmd_version_tool());
	}
	return pr_finish(rc);
}
