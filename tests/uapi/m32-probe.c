// SPDX-License-Identifier: GPL-2.0
/* Does nothing: built with -m32, it tells whether i386 binaries execute here. */
int main(void)
{
	return 0;
}
