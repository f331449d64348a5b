// SPDX-License-Identifier: GPL-2.0-only
/*
 * dlstub.c - a shared object that loads but has none of the functions
 * tdxctl takes from its optional libraries: copied under their sonames
 * (libarchive.so.13, ...) into a directory of LD_LIBRARY_PATH, it stands
 * for a broken or mismatched library (tests/unit/dlopen.sh).
 */
int tdxctl_dlstub(void);

int tdxctl_dlstub(void)
{
	return 0;
}
