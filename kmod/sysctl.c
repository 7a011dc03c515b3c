// SPDX-License-Identifier: GPL-2.0
/*
 * teach: the net.teach.* sysctls (Documentation/sysctl.rst), one set per
 * network namespace.
 *
 * struct teach_net is allocated per namespace, so no static address can
 * name a namespace's values: as net/mpls does, the template holds offsets
 * into struct teach_sysctl and every namespace, init_net included, gets a
 * copy pointing at its own.  proc_dointvec_minmax() refuses a value out of
 * [extra1, extra2] with EINVAL and leaves the old one in place.
 */
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "teach.h"
#include "stream.h"

void teach_sysctl_defaults(struct teach_sysctl *s)
{
	s->default_ttl = TEACH_DEFAULT_TTL;
	s->neigh_retrans_ms = 1000;
	s->neigh_max_probes = 3;
	s->neigh_reachable_ms = 30000;
	s->neigh_gc_stale_s = 60;
	s->neigh_queue_len = 16;
	s->ctrl_rate = 1000;
	s->ctrl_burst = 50;
	s->ctrl_echo_ignore_all = 0;
	s->ctrl_echo_ignore_bcast = 1;
	s->forwarding = 0;
	s->pmtu_expires_s = 600;
	s->min_pmtu = 68;
	s->reasm_high_thresh = 4 * 1024 * 1024;
	s->reasm_low_thresh = 3 * 1024 * 1024;
	s->reasm_timeout_ms = 30000;
	/* IPv4's defaults */
	s->local_port_range[0] = 32768;
	s->local_port_range[1] = 60999;
	s->unprivileged_port_start = 1024;
	/* Linux's defaults, but for the MSL: 2 MSL is Linux's 60 s TIME_WAIT */
	s->stream_syn_retries = 6;
	s->stream_synack_retries = 5;
	s->stream_retries = 15;
	s->stream_rto_min_ms = 200;
	s->stream_rto_max_ms = 120000;
	s->stream_rto_initial_ms = 1000;
	s->stream_delack_ms = 40;
	s->stream_msl_ms = 30000;
	s->stream_fin_timeout_ms = 60000;
	s->stream_max_tw = 4096;
	s->stream_window_scaling = 1;
	s->stream_timestamps = 1;
	s->stream_sack = 1;
	s->stream_cong = &teach_reno;
	s->stream_keepalive_time = 7200;
	s->stream_keepalive_intvl = 75;
	s->stream_keepalive_probes = 9;
	s->offload = 1;
	s->stream_rmem_max = 6291456;	/* tcp_rmem[2]'s and tcp_wmem[2]'s */
	s->stream_wmem_max = 4194304;
	/* Linux's tcp_challenge_ack_limit until 6.0 (now INT_MAX, no limit) */
	s->stream_challenge_ack_limit = 1000;
}

/* Bounds; extra1/extra2 are not const in 6.1. */
static int teach_buf_min = 4096;
static int teach_buf_max = 256 << 20;	/* a window scale of 14 covers it */
static int teach_ttl_max = 255;
static int teach_retrans_min = 10;
static int teach_retrans_max = 60000;
static int teach_probes_max = 20;
static int teach_reachable_min = 100;
static int teach_reachable_max = 3600000;
static int teach_gc_stale_max = 86400;
static int teach_queue_max = 4096;
static int teach_rate_max = 1000000;
static int teach_burst_max = 100000;
static int teach_expires_max = 86400;
static int teach_pmtu_min = 68;
static int teach_pmtu_max = 65535;
static int teach_reasm_mem_max = 256 * 1024 * 1024;
static int teach_reasm_timeout_min = 100;
static int teach_reasm_timeout_max = 600000;

static int teach_port_max = 65535;
static int teach_stream_retries_max = 30;
static int teach_rto_ms_min = 1;
static int teach_rto_ms_max = 600000;
static int teach_delack_max = 1000;
static int teach_msl_min = 10;
static int teach_msl_max = 600000;
static int teach_tw_max = 1000000;
static int teach_keepalive_s_max = TEACH_KEEPALIVE_S_MAX;
static int teach_keepalive_probes_max = TEACH_KEEPALIVE_PROBES_MAX;

/*
 * local_port_range: two ports, low <= high, as ip_local_port_range; the
 * low end may not reach below unprivileged_port_start, and the two are
 * written together under port_range_lock so a search never sees half.
 */
static int teach_port_range_handler(struct ctl_table *table, int write,
				    void *buffer, size_t *lenp, loff_t *ppos)
{
	struct teach_net *tn = container_of(table->data, struct teach_net,
					    sysctl.local_port_range);
	int range[2];
	struct ctl_table tmp = {
		.data = range,
		.maxlen = sizeof(range),
		.mode = table->mode,
		.extra1 = SYSCTL_ONE,
		.extra2 = &teach_port_max,
	};
	unsigned int seq;
	int ret;

	do {
		seq = read_seqbegin(&tn->port_range_lock);
		range[0] = tn->sysctl.local_port_range[0];
		range[1] = tn->sysctl.local_port_range[1];
	} while (read_seqretry(&tn->port_range_lock, seq));
	ret = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (!write || ret)
		return ret;
	if (range[1] < range[0] ||
	    range[0] < READ_ONCE(tn->sysctl.unprivileged_port_start))
		return -EINVAL;
	write_seqlock_bh(&tn->port_range_lock);
	tn->sysctl.local_port_range[0] = range[0];
	tn->sysctl.local_port_range[1] = range[1];
	write_sequnlock_bh(&tn->port_range_lock);
	return 0;
}

/* unprivileged_port_start: 0..65535, not above the ephemeral range */
static int teach_unpriv_port_handler(struct ctl_table *table, int write,
				     void *buffer, size_t *lenp, loff_t *ppos)
{
	struct teach_net *tn = container_of(table->data, struct teach_net,
					    sysctl.unprivileged_port_start);
	int val = READ_ONCE(tn->sysctl.unprivileged_port_start), low;
	struct ctl_table tmp = {
		.data = &val,
		.maxlen = sizeof(val),
		.mode = table->mode,
		.extra1 = SYSCTL_ZERO,
		.extra2 = &teach_port_max,
	};
	unsigned int seq;
	int ret;

	ret = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (!write || ret)
		return ret;
	do {
		seq = read_seqbegin(&tn->port_range_lock);
		low = tn->sysctl.local_port_range[0];
	} while (read_seqretry(&tn->port_range_lock, seq));
	if (val > low)
		return -EINVAL;
	WRITE_ONCE(tn->sysctl.unprivileged_port_start, val);
	return 0;
}

/*
 * stream_congestion_control: a name from the registry, as
 * net.ipv4.tcp_congestion_control; an unknown one is EINVAL and the old
 * algorithm stays.  New sockets of the namespace take it.
 */
static int teach_cong_handler(struct ctl_table *table, int write,
			      void *buffer, size_t *lenp, loff_t *ppos)
{
	const struct teach_cong_ops **cur = table->data;
	const struct teach_cong_ops *ops;
	char name[TEACH_CONG_NAME_MAX];
	struct ctl_table tmp = {
		.data = name,
		.maxlen = sizeof(name),
	};
	int ret;

	strscpy(name, READ_ONCE(*cur)->name, sizeof(name));
	ret = proc_dostring(&tmp, write, buffer, lenp, ppos);
	if (!write || ret)
		return ret;
	ops = teach_cong_find(name);
	if (!ops)
		return -EINVAL;
	WRITE_ONCE(*cur, ops);
	return 0;
}

/* stream_available_congestion_control: read only, "reno cubic" */
static int teach_cong_avail_handler(struct ctl_table *table, int write,
				    void *buffer, size_t *lenp, loff_t *ppos)
{
	char names[64];
	struct ctl_table tmp = {
		.data = names,
		.maxlen = sizeof(names),
	};

	teach_cong_available(names, sizeof(names));
	return proc_dostring(&tmp, write, buffer, lenp, ppos);
}

#define TEACH_SYSCTL(field, min, max) {					\
	.procname	= #field,					\
	.data		= (void *)offsetof(struct teach_sysctl, field),	\
	.maxlen		= sizeof(int),					\
	.mode		= 0644,						\
	.proc_handler	= proc_dointvec_minmax,				\
	.extra1		= min,						\
	.extra2		= max,						\
}

static const struct ctl_table teach_sysctl_template[] = {
	TEACH_SYSCTL(default_ttl, SYSCTL_ONE, &teach_ttl_max),
	TEACH_SYSCTL(neigh_retrans_ms, &teach_retrans_min, &teach_retrans_max),
	TEACH_SYSCTL(neigh_max_probes, SYSCTL_ONE, &teach_probes_max),
	TEACH_SYSCTL(neigh_reachable_ms, &teach_reachable_min,
		     &teach_reachable_max),
	TEACH_SYSCTL(neigh_gc_stale_s, SYSCTL_ONE, &teach_gc_stale_max),
	TEACH_SYSCTL(neigh_queue_len, SYSCTL_ZERO, &teach_queue_max),
	TEACH_SYSCTL(ctrl_rate, SYSCTL_ZERO, &teach_rate_max),
	TEACH_SYSCTL(ctrl_burst, SYSCTL_ONE, &teach_burst_max),
	TEACH_SYSCTL(ctrl_echo_ignore_all, SYSCTL_ZERO, SYSCTL_ONE),
	TEACH_SYSCTL(ctrl_echo_ignore_bcast, SYSCTL_ZERO, SYSCTL_ONE),
	TEACH_SYSCTL(forwarding, SYSCTL_ZERO, SYSCTL_ONE),
	TEACH_SYSCTL(pmtu_expires_s, SYSCTL_ONE, &teach_expires_max),
	TEACH_SYSCTL(min_pmtu, &teach_pmtu_min, &teach_pmtu_max),
	TEACH_SYSCTL(reasm_high_thresh, SYSCTL_ZERO, &teach_reasm_mem_max),
	TEACH_SYSCTL(reasm_low_thresh, SYSCTL_ZERO, &teach_reasm_mem_max),
	TEACH_SYSCTL(reasm_timeout_ms, &teach_reasm_timeout_min,
		     &teach_reasm_timeout_max),
	TEACH_SYSCTL(stream_syn_retries, SYSCTL_ONE, &teach_stream_retries_max),
	TEACH_SYSCTL(stream_synack_retries, SYSCTL_ONE,
		     &teach_stream_retries_max),
	TEACH_SYSCTL(stream_retries, SYSCTL_ONE, &teach_stream_retries_max),
	TEACH_SYSCTL(stream_rto_min_ms, &teach_rto_ms_min, &teach_rto_ms_max),
	TEACH_SYSCTL(stream_rto_max_ms, &teach_rto_ms_min, &teach_rto_ms_max),
	TEACH_SYSCTL(stream_rto_initial_ms, &teach_rto_ms_min,
		     &teach_rto_ms_max),
	TEACH_SYSCTL(stream_delack_ms, SYSCTL_ONE, &teach_delack_max),
	TEACH_SYSCTL(stream_msl_ms, &teach_msl_min, &teach_msl_max),
	TEACH_SYSCTL(stream_fin_timeout_ms, &teach_msl_min, &teach_msl_max),
	TEACH_SYSCTL(stream_max_tw, SYSCTL_ZERO, &teach_tw_max),
	TEACH_SYSCTL(stream_window_scaling, SYSCTL_ZERO, SYSCTL_ONE),
	TEACH_SYSCTL(stream_timestamps, SYSCTL_ZERO, SYSCTL_ONE),
	TEACH_SYSCTL(stream_sack, SYSCTL_ZERO, SYSCTL_ONE),
	TEACH_SYSCTL(stream_keepalive_time, SYSCTL_ONE, &teach_keepalive_s_max),
	TEACH_SYSCTL(stream_keepalive_intvl, SYSCTL_ONE,
		     &teach_keepalive_s_max),
	TEACH_SYSCTL(stream_keepalive_probes, SYSCTL_ONE,
		     &teach_keepalive_probes_max),
	TEACH_SYSCTL(offload, SYSCTL_ZERO, SYSCTL_ONE),
	TEACH_SYSCTL(stream_rmem_max, &teach_buf_min, &teach_buf_max),
	TEACH_SYSCTL(stream_wmem_max, &teach_buf_min, &teach_buf_max),
	TEACH_SYSCTL(stream_challenge_ack_limit, SYSCTL_ZERO, SYSCTL_INT_MAX),
	{
		.procname	= "stream_congestion_control",
		.data		= (void *)offsetof(struct teach_sysctl,
						   stream_cong),
		.maxlen		= TEACH_CONG_NAME_MAX,
		.mode		= 0644,
		.proc_handler	= teach_cong_handler,
	},
	{
		/* .data is not read, but every entry gets an offset */
		.procname	= "stream_available_congestion_control",
		.data		= (void *)offsetof(struct teach_sysctl,
						   stream_cong),
		.maxlen		= 64,
		.mode		= 0444,
		.proc_handler	= teach_cong_avail_handler,
	},
	{
		.procname	= "local_port_range",
		.data		= (void *)offsetof(struct teach_sysctl,
						   local_port_range),
		.maxlen		= 2 * sizeof(int),
		.mode		= 0644,
		.proc_handler	= teach_port_range_handler,
	},
	{
		.procname	= "unprivileged_port_start",
		.data		= (void *)offsetof(struct teach_sysctl,
						   unprivileged_port_start),
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= teach_unpriv_port_handler,
	},
	{ }
};

int teach_sysctl_net_init(struct net *net)
{
	struct teach_net *tn = teach_pernet(net);
	struct ctl_table *table;
	int i;

	table = kmemdup(teach_sysctl_template, sizeof(teach_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;

	/* Turn the offsets into this namespace's addresses. */
	for (i = 0; i < ARRAY_SIZE(teach_sysctl_template) - 1; i++)
		table[i].data = (char *)&tn->sysctl + (uintptr_t)table[i].data;

	tn->sysctl_hdr = register_net_sysctl(net, "net/teach", table);
	if (!tn->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

void teach_sysctl_net_exit(struct net *net)
{
	struct teach_net *tn = teach_pernet(net);
	struct ctl_table *table;

	if (!tn->sysctl_hdr)
		return;
	table = tn->sysctl_hdr->ctl_table_arg;
	unregister_net_sysctl_table(tn->sysctl_hdr);
	tn->sysctl_hdr = NULL;
	kfree(table);
}
