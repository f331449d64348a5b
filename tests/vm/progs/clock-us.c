// SPDX-License-Identifier: GPL-2.0
/* clock-us: print CLOCK_MONOTONIC in microseconds (busybox date has no %N). */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return 1;
	printf("%lld\n", (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	return 0;
}
