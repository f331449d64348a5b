// SPDX-License-Identifier: GPL-2.0
/*
 * runas UID CMD [ARG...]: run CMD as UID (group UID, no supplementary
 * groups, no capabilities left), for permission tests of the CLI.
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long id;

	if (argc < 3) {
		fprintf(stderr, "usage: runas UID CMD [ARG...]\n");
		return 2;
	}
	id = strtol(argv[1], &end, 10);
	if (*end || id < 0) {
		fprintf(stderr, "runas: bad uid '%s'\n", argv[1]);
		return 2;
	}
	if (setgroups(0, NULL) || setgid(id) || setuid(id)) {
		perror("runas");
		return 125;
	}
	execvp(argv[2], argv + 2);
	perror("runas: exec");
	return 127;
}
