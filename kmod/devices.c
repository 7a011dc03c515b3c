// SPDX-License-Identifier: GPL-2.0
/*
 * teach: per-device state.
 *
 * teach runs on Ethernet-like devices (veth, e1000, virtio-net, dummy) and
 * on loopback.  A netdevice notifier gives each such device a struct
 * teach_dev when it registers (or when the module loads: registering the
 * notifier replays REGISTER for every existing device) and takes it, with
 * its addresses, routes and neighbours, away when the device unregisters or
 * leaves the namespace.  The packet path finds it by ifindex in the
 * namespace's xarray, under RCU.
 */
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "teach.h"

static bool teach_dev_eligible(const struct net_device *dev)
{
	if (dev->flags & IFF_LOOPBACK)
		return true;
	return dev->type == ARPHRD_ETHER && dev->addr_len == ETH_ALEN;
}

struct teach_dev *teach_dev_get(struct net *net, int ifindex)
{
	return xa_load(&teach_pernet(net)->devs, ifindex);
}

static int teach_dev_create(struct net_device *dev)
{
	struct teach_net *tn = teach_pernet(dev_net(dev));
	struct teach_dev *tdev;
	int err;

	ASSERT_RTNL();
	tdev = kzalloc(sizeof(*tdev), GFP_KERNEL);
	if (!tdev)
		return -ENOMEM;
	tdev->dev = dev;
	INIT_LIST_HEAD(&tdev->addrs);
	tdev->forwarding = 1;
	err = teach_dev_sysctl_register(tdev);
	if (err)
		goto free;
	err = xa_insert(&tn->devs, dev->ifindex, tdev, GFP_KERNEL);
	if (err)
		goto unregister;
	dev_hold(dev);
	return 0;

unregister:
	teach_dev_sysctl_unregister(tdev);
free:
	kfree(tdev);
	return err;
}

static void teach_dev_destroy(struct teach_dev *tdev)
{
	struct net_device *dev = tdev->dev;
	struct net *net = dev_net(dev);

	ASSERT_RTNL();
	teach_addr_flush_dev(tdev);
	teach_route_flush_dev(net, dev);
	teach_neigh_flush(net, dev->ifindex, true);
	teach_raw_dev_gone(net, dev->ifindex);
	teach_dgram_dev_gone(net, dev->ifindex);
	teach_stream_dev_gone(net, dev->ifindex);
	teach_dev_sysctl_unregister(tdev);
	xa_erase(&teach_pernet(net)->devs, dev->ifindex);
	teach_rt_genid_bump(net);
	dev_put(dev);
	kfree_rcu(tdev, rcu);
}

/* Like IPv4, loopback gets 127.0.0.1/8 when it comes up. */
static void teach_dev_up(struct teach_dev *tdev)
{
	struct teach_ifaddr *ifa;

	if (tdev->dev->flags & IFF_LOOPBACK) {
		if (list_empty(&tdev->addrs))
			teach_addr_add(dev_net(tdev->dev), tdev->dev->ifindex,
				       htonl(TEACH_ADDR_LOOPBACK),
				       TEACH_LOOPBACK_PREFIX, NULL);
		return;
	}
	/* Tell the segment who we are, as an address add does. */
	list_for_each_entry(ifa, &tdev->addrs, list)
		teach_neigh_announce(tdev, ifa->addr);
}

static int teach_netdev_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct teach_dev *tdev;

	ASSERT_RTNL();
	tdev = teach_dev_get(dev_net(dev), dev->ifindex);
	/* A socket's cached route may name this device or its MTU. */
	if (tdev && (event == NETDEV_UP || event == NETDEV_DOWN ||
		     event == NETDEV_CHANGEMTU))
		teach_rt_genid_bump(dev_net(dev));

	switch (event) {
	case NETDEV_REGISTER:
		if (!tdev && teach_dev_eligible(dev) && teach_dev_create(dev))
			netdev_warn(dev, "teach: no memory for device state\n");
		break;
	case NETDEV_UNREGISTER:
		if (tdev)
			teach_dev_destroy(tdev);
		break;
	case NETDEV_UP:
		if (tdev)
			teach_dev_up(tdev);
		break;
	case NETDEV_DOWN:
		/* Resolved neighbours may be on the other side of a new cable. */
		if (tdev)
			teach_neigh_flush(dev_net(dev), dev->ifindex, false);
		break;
	case NETDEV_CHANGEADDR:
		if (tdev && netif_running(dev))
			teach_dev_up(tdev);
		break;
	case NETDEV_CHANGENAME:
		/* The sysctl directory carries the name: move it along. */
		if (tdev) {
			teach_dev_sysctl_unregister(tdev);
			if (teach_dev_sysctl_register(tdev))
				netdev_warn(dev, "teach: no memory for sysctls\n");
		}
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block teach_netdev_notifier = {
	.notifier_call = teach_netdev_event,
};

int teach_devices_net_init(struct net *net)
{
	xa_init(&teach_pernet(net)->devs);
	return 0;
}

void teach_devices_net_exit(struct net *net)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_dev *tdev;
	unsigned long idx;

	/* Devices are gone before pernet subsystems exit; be sure anyway. */
	rtnl_lock();
	xa_for_each(&tn->devs, idx, tdev)
		teach_dev_destroy(tdev);
	rtnl_unlock();
	xa_destroy(&tn->devs);
}

int teach_devices_init(void)
{
	return register_netdevice_notifier(&teach_netdev_notifier);
}

void teach_devices_exit(void)
{
	unregister_netdevice_notifier(&teach_netdev_notifier);
}
