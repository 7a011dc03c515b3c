// SPDX-License-Identifier: GPL-2.0
/*
 * teach_splat: a module whose only job is to WARN when loaded, so that
 * `make check` can prove the VM runner fails a run on a kernel splat.
 * Built only for the test VM (TEACH_SPLAT=m), never installed.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init teach_splat_init(void)
{
	WARN(1, "teach_splat: a deliberate warning, to test the VM runner\n");
	return 0;
}

static void __exit teach_splat_exit(void)
{
}

module_init(teach_splat_init);
module_exit(teach_splat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("teach: deliberate WARN to test the VM runner");
