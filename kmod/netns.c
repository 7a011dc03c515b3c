// SPDX-License-Identifier: GPL-2.0
/*
 * teach: per-network-namespace state.
 *
 * Every namespace gets its own struct teach_net (counters now; addresses,
 * routes, neighbours, sockets and sysctls hang off it as they are added),
 * created and destroyed with the namespace through pernet_operations.
 */
#include <linux/random.h>

#include "teach.h"

unsigned int teach_net_id __read_mostly;

u64 teach_mib_read(const struct teach_net *tn, int field)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(tn->mib, cpu)->mibs[field];
	return sum;
}

static int __net_init teach_net_init(struct net *net)
{
	struct teach_net *tn = teach_pernet(net);
	int err;

	tn->net = net;
	teach_sysctl_defaults(&tn->sysctl);
	spin_lock_init(&tn->ctrl_lock);
	tn->ctrl_tokens = tn->sysctl.ctrl_burst;
	tn->ctrl_stamp = jiffies;
	seqlock_init(&tn->port_range_lock);
	spin_lock_init(&tn->raw_lock);
	INIT_HLIST_HEAD(&tn->raw_socks);
	atomic_set(&tn->ip_id, get_random_u32());

	tn->mib = alloc_percpu(struct teach_mib_stats);
	if (!tn->mib)
		return -ENOMEM;
	err = teach_devices_net_init(net);
	if (err)
		goto err_mib;
	err = teach_route_init_net(tn);
	if (err)
		goto err_devices;
	err = teach_neigh_init_net(tn);
	if (err)
		goto err_route;
	err = teach_frags_init_net(tn);
	if (err)
		goto err_neigh;
	err = teach_pmtu_init_net(tn);
	if (err)
		goto err_frags;
	err = teach_pcb_table_init(&tn->dgram_pcbs, false);
	if (err)
		goto err_pmtu;
	err = teach_pcb_table_init(&tn->stream_pcbs, true);
	if (err)
		goto err_dgram_pcbs;
	get_random_bytes(&tn->stream_isn_key, sizeof(tn->stream_isn_key));
	atomic_set(&tn->stream_tw_count, 0);
	err = teach_sysctl_net_init(net);
	if (err)
		goto err_pcbs;
	err = teach_proc_net_init(net);
	if (err)
		goto err_sysctl;
	return 0;

err_sysctl:
	teach_sysctl_net_exit(net);
err_pcbs:
	teach_pcb_table_destroy(&tn->stream_pcbs);
err_dgram_pcbs:
	teach_pcb_table_destroy(&tn->dgram_pcbs);
err_pmtu:
	teach_pmtu_exit_net(tn);
err_frags:
	teach_frags_exit_net(tn);
err_neigh:
	teach_neigh_exit_net(tn);
err_route:
	teach_route_exit_net(tn);
err_devices:
	teach_devices_net_exit(net);
err_mib:
	free_percpu(tn->mib);
	return err;
}

static void __net_exit teach_net_exit(struct net *net)
{
	struct teach_net *tn = teach_pernet(net);

	teach_proc_net_exit(net);
	teach_sysctl_net_exit(net);
	teach_devices_net_exit(net);
	teach_neigh_exit_net(tn);
	teach_route_exit_net(tn);
	teach_frags_exit_net(tn);
	teach_pmtu_exit_net(tn);
	teach_hooks_exit_net(tn);
	teach_pcb_table_destroy(&tn->stream_pcbs);
	teach_pcb_table_destroy(&tn->dgram_pcbs);
	free_percpu(tn->mib);
}

static struct pernet_operations teach_net_ops = {
	.init = teach_net_init,
	.exit = teach_net_exit,
	.id = &teach_net_id,
	.size = sizeof(struct teach_net),
};

int teach_netns_init(void)
{
	return register_pernet_subsys(&teach_net_ops);
}

void teach_netns_exit(void)
{
	unregister_pernet_subsys(&teach_net_ops);
}
