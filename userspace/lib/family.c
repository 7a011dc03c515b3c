// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libteach: the live address family number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "libteach.h"

int teach_family(void)
{
	const char *env;
	FILE *f;
	int fam;

	/* For tests and unusual setups: TEACH_FAMILY overrides everything. */
	env = getenv("TEACH_FAMILY");
	if (env && atoi(env) > 0)
		return atoi(env);
	f = fopen(TEACH_SYSFS_FAMILY, "re");
	if (f) {
		if (fscanf(f, "%d", &fam) == 1 && fam > 0 && fam < 256) {
			fclose(f);
			return fam;
		}
		fclose(f);
	}
	/* Not read once and kept: the module may be reloaded with another number. */
	return AF_TEACH_DEFAULT;
}

int teach_socket(int type, int protocol)
{
	return socket(teach_family(), type, protocol);
}
