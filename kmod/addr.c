// SPDX-License-Identifier: GPL-2.0
/*
 * teach: addresses.
 *
 * A device holds any number of address/prefix pairs.  Each brings three
 * routes, made and removed with it as IPv4 does: a local /32 route for the
 * address, a connected route for the prefix, and for prefixes shorter than
 * /31 a broadcast /32 route for the prefix's directed broadcast address.
 * Changes run under RTNL; lookups from the packet path under RCU.
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "teach.h"

static __be32 teach_mask(u8 plen)
{
	return plen ? htonl(~0U << (32 - plen)) : 0;
}

static bool teach_addr_multicast(__be32 addr)
{
	return (ntohl(addr) & 0xf0000000) == 0xe0000000;
}

static bool teach_addr_loopback(__be32 addr)
{
	return (ntohl(addr) >> 24) == (TEACH_LOOPBACK_NET >> 24);
}

static void teach_addr_routes(struct teach_ifaddr *ifa, bool add)
{
	struct net_device *dev = ifa->tdev->dev;
	struct net *net = dev_net(dev);
	struct teach_route_spec rs = {
		.proto = TEACH_RTPROT_KERNEL,
		.ifindex = dev->ifindex,
		.prefsrc = ifa->addr,
	};
	struct teach_ifaddr *other;

	rs.dst = ifa->addr;
	rs.plen = 32;
	rs.type = TEACH_RTN_LOCAL;
	if (add)
		teach_route_add(net, &rs, false, NULL);
	else
		teach_route_del(net, &rs, NULL);

	if (ifa->prefixlen < 31) {
		rs.dst = ifa->bcast;
		rs.type = TEACH_RTN_BROADCAST;
		if (add)
			teach_route_add(net, &rs, false, NULL);
		else
			teach_route_del(net, &rs, NULL);
	}

	/* The connected route stays while another address shares the prefix. */
	if (!add) {
		list_for_each_entry(other, &ifa->tdev->addrs, list)
			if (other != ifa && other->prefixlen == ifa->prefixlen &&
			    !((other->addr ^ ifa->addr) & ifa->mask))
				return;
	}
	rs.dst = ifa->addr & ifa->mask;
	rs.plen = ifa->prefixlen;
	rs.type = TEACH_RTN_UNICAST;
	if (add)
		teach_route_add(net, &rs, false, NULL);
	else
		teach_route_del(net, &rs, NULL);
}

int teach_addr_add(struct net *net, int ifindex, __be32 addr, u8 plen,
		   struct netlink_ext_ack *extack)
{
	struct teach_net *tn = teach_pernet(net);
	struct teach_ifaddr *ifa;
	struct teach_dev *tdev;
	__be32 mask;

	ASSERT_RTNL();
	tdev = teach_dev_get(net, ifindex);
	if (!tdev) {
		NL_SET_ERR_MSG(extack, "no such device, or teach does not run on it");
		return -ENODEV;
	}
	if (plen > 32) {
		NL_SET_ERR_MSG(extack, "prefix length must be 0..32");
		return -EINVAL;
	}
	mask = teach_mask(plen);
	if (!addr || addr == htonl(TEACH_ADDR_BROADCAST) ||
	    teach_addr_multicast(addr)) {
		NL_SET_ERR_MSG(extack, "not a host address (any, broadcast or multicast class)");
		return -EINVAL;
	}
	/* Loopback may carry any address; 127/8 goes nowhere else. */
	if (teach_addr_loopback(addr) && !(tdev->dev->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG(extack, "127.0.0.0/8 is for the loopback device only");
		return -EINVAL;
	}
	if (plen < 31 && (!(addr & ~mask) || (addr & ~mask) == ~mask)) {
		NL_SET_ERR_MSG(extack, "address is the network or broadcast address of its prefix");
		return -EINVAL;
	}
	list_for_each_entry(ifa, &tdev->addrs, list) {
		if (ifa->addr == addr) {
			NL_SET_ERR_MSG(extack, "address already on this device");
			return -EEXIST;
		}
	}

	ifa = kzalloc(sizeof(*ifa), GFP_KERNEL);
	if (!ifa)
		return -ENOMEM;
	ifa->tdev = tdev;
	ifa->addr = addr;
	ifa->mask = mask;
	ifa->prefixlen = plen;
	ifa->bcast = addr | ~mask;
	list_add_tail_rcu(&ifa->list, &tdev->addrs);
	atomic_inc(&tn->addr_seq);
	teach_addr_routes(ifa, true);
	teach_nl_notify_addr(net, TEACH_CMD_ADDR_NEW, ifa);
	if (netif_running(tdev->dev))
		teach_neigh_announce(tdev, addr);
	return 0;
}

static void teach_addr_remove(struct teach_net *tn, struct teach_ifaddr *ifa)
{
	struct net *net = dev_net(ifa->tdev->dev);

	teach_addr_routes(ifa, false);
	list_del_rcu(&ifa->list);
	atomic_inc(&tn->addr_seq);
	teach_nl_notify_addr(net, TEACH_CMD_ADDR_DEL, ifa);
	kfree_rcu(ifa, rcu);
}

int teach_addr_del(struct net *net, int ifindex, __be32 addr, int plen,
		   struct netlink_ext_ack *extack)
{
	struct teach_ifaddr *ifa;
	struct teach_dev *tdev;

	ASSERT_RTNL();
	tdev = teach_dev_get(net, ifindex);
	if (!tdev) {
		NL_SET_ERR_MSG(extack, "no such device, or teach does not run on it");
		return -ENODEV;
	}
	list_for_each_entry(ifa, &tdev->addrs, list) {
		if (ifa->addr != addr)
			continue;
		if (plen >= 0 && ifa->prefixlen != plen) {
			NL_SET_ERR_MSG(extack, "address has another prefix length");
			return -EADDRNOTAVAIL;
		}
		teach_addr_remove(teach_pernet(net), ifa);
		return 0;
	}
	NL_SET_ERR_MSG(extack, "address is not on this device");
	return -EADDRNOTAVAIL;
}

void teach_addr_flush_dev(struct teach_dev *tdev)
{
	struct teach_net *tn = teach_pernet(dev_net(tdev->dev));
	struct teach_ifaddr *ifa, *tmp;

	ASSERT_RTNL();
	list_for_each_entry_safe(ifa, tmp, &tdev->addrs, list)
		teach_addr_remove(tn, ifa);
}

bool teach_addr_is_local(struct net *net, __be32 addr)
{
	struct teach_route *rt = teach_route_lookup(net, addr);

	return rt && rt->type == TEACH_RTN_LOCAL;
}

__be32 teach_addr_select(struct teach_dev *tdev, __be32 dst)
{
	struct teach_ifaddr *ifa;
	__be32 any = 0;

	list_for_each_entry_rcu(ifa, &tdev->addrs, list) {
		if (!((ifa->addr ^ dst) & ifa->mask))
			return ifa->addr;
		if (!any)
			any = ifa->addr;
	}
	return any;
}

bool teach_addr_on_dev(struct teach_dev *tdev, __be32 addr)
{
	struct teach_ifaddr *ifa;

	list_for_each_entry_rcu(ifa, &tdev->addrs, list)
		if (ifa->addr == addr)
			return true;
	return false;
}

bool teach_addr_on_link(struct teach_dev *tdev, __be32 addr)
{
	struct teach_ifaddr *ifa;

	list_for_each_entry_rcu(ifa, &tdev->addrs, list)
		if (!((ifa->addr ^ addr) & ifa->mask))
			return true;
	return false;
}

bool teach_addr_is_bcast(struct teach_dev *tdev, __be32 addr)
{
	struct teach_ifaddr *ifa;

	if (addr == htonl(TEACH_ADDR_BROADCAST))
		return true;
	list_for_each_entry_rcu(ifa, &tdev->addrs, list)
		if (ifa->prefixlen < 31 && ifa->bcast == addr)
			return true;
	return false;
}
