/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diag.h - the parts of tdxctl diag (cmd_diag.c: collecting and writing
 * the bundle; diag_verify.c: --verify).
 */
#ifndef TDXCTL_DIAG_H
#define TDXCTL_DIAG_H

/* Check a bundle: its entries, and its files against its manifest;
 * prints the result, returns the exit code. */
int diag_verify(const char *file);

#endif
