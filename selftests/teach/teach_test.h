/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the teach kselftests written in C.
 */
#ifndef _TEACH_TEST_H
#define _TEACH_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "libteach.h"

/* Load teach.ko if it is not loaded; the family number comes from sysfs. */
static inline int teach_test_load(void)
{
	if (access(TEACH_SYSFS_FAMILY, R_OK) == 0)
		return 0;
	return system("modprobe teach") == 0 ? 0 : -1;
}

#endif /* _TEACH_TEST_H */
