// SPDX-License-Identifier: GPL-2.0
/*
 * teach: a teaching protocol family for Linux.
 *
 * This file registers the address family and creates sockets; the network
 * layer, the transports and the control plane live in files of their own.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "teach.h"

/*
 * AF_MAX is 46 on 6.1 and a module cannot register at or above it, so the
 * family reuses DECnet's retired slot unless told otherwise.  The value is
 * readable at /sys/module/teach/parameters/family.
 */
int teach_family = AF_TEACH_DEFAULT;
module_param_named(family, teach_family, int, 0444);
MODULE_PARM_DESC(family, "address family number to register (default 12; 4, 13, 19, 22, 23, 25 are also free on 6.1)");

static int teach_create(struct net *net, struct socket *sock, int protocol,
			int kern)
{
	if (protocol < 0 || protocol >= TEACHPROTO_MAX)
		return -EPROTONOSUPPORT;

	switch (sock->type) {
	case SOCK_RAW:
		return teach_raw_create(net, sock, protocol, kern);
	case SOCK_DGRAM:
		return teach_dgram_create(net, sock, protocol, kern);
	case SOCK_STREAM:
		return teach_stream_create(net, sock, protocol, kern);
	default:
		return -ESOCKTNOSUPPORT;
	}
}

static struct net_proto_family teach_family_ops = {
	.create = teach_create,
	.owner = THIS_MODULE,
};

static int __init teach_init(void)
{
	int err;

	if (teach_family <= AF_UNSPEC || teach_family >= NPROTO) {
		pr_err("teach: family %d out of range 1..%d\n", teach_family,
		       NPROTO - 1);
		return -EINVAL;
	}
	teach_family_ops.family = teach_family;
	err = teach_pcb_hash_size_check();
	if (err)
		return err;

	err = teach_raw_init();
	if (err)
		return err;
	err = teach_dgram_init();
	if (err)
		goto err_raw;
	err = teach_stream_init();
	if (err)
		goto err_dgram;
	err = teach_netns_init();
	if (err)
		goto err_stream;
	err = teach_devices_init();
	if (err)
		goto err_netns;
	err = teach_netlink_init();
	if (err)
		goto err_devices;
	err = sock_register(&teach_family_ops);
	if (err) {
		pr_err("teach: cannot register family %d: %d\n", teach_family,
		       err);
		goto err_netlink;
	}

	teach_gso_init();
	teach_input_init();
	pr_info("teach: family %d, ethertype 0x%04x\n", teach_family,
		ETH_P_TEACH);
	return 0;

err_netlink:
	teach_netlink_exit();
err_devices:
	teach_devices_exit();
err_netns:
	teach_netns_exit();
err_stream:
	teach_stream_exit();
err_dgram:
	teach_dgram_exit();
err_raw:
	teach_raw_exit();
	return err;
}

static void __exit teach_exit(void)
{
	teach_input_exit();
	teach_gso_exit();
	sock_unregister(teach_family);
	teach_netlink_exit();
	/* Replays UNREGISTER for every device: addresses, routes, neighbours go. */
	teach_devices_exit();
	teach_netns_exit();
	teach_stream_exit();
	teach_dgram_exit();
	teach_raw_exit();
}

module_init(teach_init);
module_exit(teach_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("teach: a teaching TCP/IP-style protocol family");
MODULE_AUTHOR("The teach authors");
MODULE_ALIAS_NETPROTO(AF_TEACH_DEFAULT);
/* `teach addr ...` loads the module on demand, as socket() does. */
MODULE_ALIAS_GENL_FAMILY(TEACH_GENL_NAME);
