// SPDX-License-Identifier: GPL-2.0
/*
 * teach: /proc/net/teach/ of each network namespace.
 *
 *   snmp	one "Name value" line per counter, in enum teach_mib order
 *   neigh	the neighbour table
 *   addr	the addresses of every device
 *   frag	reassembly: packets being reassembled and the bytes they hold
 *   pmtu	the path MTUs learned, with the seconds each has left
 *   dgram	datagram sockets, in the columns of /proc/net/udp (dgram.c)
 *   stream	stream sockets, in the columns of /proc/net/tcp (stream.c)
 *   raw	raw sockets, the same columns; the local port is the protocol
 *
 * Each file is generated whole by one show() (proc_create_net_single);
 * the tables are small and this keeps a reader from seeing half a change.
 */
#include <linux/etherdevice.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "teach.h"

/* Named like the IP MIB's counters in /proc/net/snmp. */
static const char * const teach_mib_names[] = {
	[TEACH_MIB_IN_RECEIVES]		= "InReceives",
	[TEACH_MIB_IN_HDR_ERRORS]	= "InHdrErrors",
	[TEACH_MIB_IN_TRUNCATED]	= "InTruncatedPkts",
	[TEACH_MIB_IN_CSUM_ERRORS]	= "InCsumErrors",
	[TEACH_MIB_IN_ADDR_ERRORS]	= "InAddrErrors",
	[TEACH_MIB_IN_UNKNOWN_PROTOS]	= "InUnknownProtos",
	[TEACH_MIB_IN_DISCARDS]		= "InDiscards",
	[TEACH_MIB_IN_DELIVERS]		= "InDelivers",
	[TEACH_MIB_IN_NO_DEV]		= "InNoDev",
	[TEACH_MIB_OUT_REQUESTS]	= "OutRequests",
	[TEACH_MIB_OUT_NO_ROUTES]	= "OutNoRoutes",
	[TEACH_MIB_OUT_DISCARDS]	= "OutDiscards",
	[TEACH_MIB_OUT_TRANSMITS]	= "OutTransmits",
	[TEACH_MIB_FORW_DATAGRAMS]	= "ForwDatagrams",
	[TEACH_MIB_FRAG_OKS]		= "FragOKs",
	[TEACH_MIB_FRAG_FAILS]		= "FragFails",
	[TEACH_MIB_FRAG_CREATES]	= "FragCreates",
	[TEACH_MIB_REASM_REQDS]		= "ReasmReqds",
	[TEACH_MIB_REASM_OKS]		= "ReasmOKs",
	[TEACH_MIB_REASM_FAILS]		= "ReasmFails",
	[TEACH_MIB_REASM_TIMEOUT]	= "ReasmTimeout",
	[TEACH_MIB_REASM_OVERLAPS]	= "ReasmOverlaps",
	[TEACH_MIB_NEIGH_IN_REQUESTS]	= "NeighInRequests",
	[TEACH_MIB_NEIGH_IN_REPLIES]	= "NeighInReplies",
	[TEACH_MIB_NEIGH_IN_ERRORS]	= "NeighInErrors",
	[TEACH_MIB_NEIGH_OUT_REQUESTS]	= "NeighOutRequests",
	[TEACH_MIB_NEIGH_OUT_REPLIES]	= "NeighOutReplies",
	[TEACH_MIB_NEIGH_RES_FAILED]	= "NeighResFailed",
	[TEACH_MIB_NEIGH_QUEUE_DROPS]	= "NeighQueueDrops",
	[TEACH_MIB_CTRL_IN_MSGS]	= "CtrlInMsgs",
	[TEACH_MIB_CTRL_IN_ERRORS]	= "CtrlInErrors",
	[TEACH_MIB_CTRL_IN_ECHOS]	= "CtrlInEchos",
	[TEACH_MIB_CTRL_IN_ECHO_REPS]	= "CtrlInEchoReps",
	[TEACH_MIB_CTRL_IN_UNREACHS]	= "CtrlInDestUnreachs",
	[TEACH_MIB_CTRL_IN_TIME_EXCDS]	= "CtrlInTimeExcds",
	[TEACH_MIB_CTRL_OUT_MSGS]	= "CtrlOutMsgs",
	[TEACH_MIB_CTRL_OUT_ECHO_REPS]	= "CtrlOutEchoReps",
	[TEACH_MIB_CTRL_OUT_UNREACHS]	= "CtrlOutDestUnreachs",
	[TEACH_MIB_CTRL_OUT_TIME_EXCDS]	= "CtrlOutTimeExcds",
	[TEACH_MIB_CTRL_RATELIMITED]	= "CtrlRateLimited",
	[TEACH_MIB_RAW_IN_DELIVERS]	= "RawInDelivers",
	[TEACH_MIB_RAW_RCVBUF_ERRORS]	= "RawRcvbufErrors",
	[TEACH_MIB_IN_NO_ROUTES]	= "InNoRoutes",
	[TEACH_MIB_FORW_DISCARDS]	= "ForwDiscards",
	[TEACH_MIB_HOOK_DROPS]		= "HookDrops",
	[TEACH_MIB_REASM_DUPLICATES]	= "ReasmDuplicates",
	[TEACH_MIB_REASM_EVICTIONS]	= "ReasmEvictions",
	[TEACH_MIB_PMTU_UPDATES]	= "PmtuUpdates",
	[TEACH_MIB_DGRAM_IN_DATAGRAMS]	= "DgramInDatagrams",
	[TEACH_MIB_DGRAM_NO_PORTS]	= "DgramNoPorts",
	[TEACH_MIB_DGRAM_IN_ERRORS]	= "DgramInErrors",
	[TEACH_MIB_DGRAM_OUT_DATAGRAMS]	= "DgramOutDatagrams",
	[TEACH_MIB_DGRAM_RCVBUF_ERRORS]	= "DgramRcvbufErrors",
	[TEACH_MIB_DGRAM_SNDBUF_ERRORS]	= "DgramSndbufErrors",
	[TEACH_MIB_DGRAM_IN_CSUM_ERRORS] = "DgramInCsumErrors",
	[TEACH_MIB_STREAM_ACTIVE_OPENS]	= "StreamActiveOpens",
	[TEACH_MIB_STREAM_PASSIVE_OPENS] = "StreamPassiveOpens",
	[TEACH_MIB_STREAM_ATTEMPT_FAILS] = "StreamAttemptFails",
	[TEACH_MIB_STREAM_ESTAB_RESETS]	= "StreamEstabResets",
	[TEACH_MIB_STREAM_IN_SEGS]	= "StreamInSegs",
	[TEACH_MIB_STREAM_OUT_SEGS]	= "StreamOutSegs",
	[TEACH_MIB_STREAM_RETRANS_SEGS]	= "StreamRetransSegs",
	[TEACH_MIB_STREAM_IN_ERRS]	= "StreamInErrs",
	[TEACH_MIB_STREAM_OUT_RSTS]	= "StreamOutRsts",
	[TEACH_MIB_STREAM_IN_CSUM_ERRORS] = "StreamInCsumErrors",
	[TEACH_MIB_STREAM_NO_PORTS]	= "StreamNoPorts",
	[TEACH_MIB_STREAM_LISTEN_OVERFLOWS] = "StreamListenOverflows",
	[TEACH_MIB_STREAM_LISTEN_DROPS]	= "StreamListenDrops",
	[TEACH_MIB_STREAM_BACKLOG_DROPS] = "StreamBacklogDrops",
	[TEACH_MIB_STREAM_RCVQ_DROPS]	= "StreamRcvQDrops",
	[TEACH_MIB_STREAM_OFO_QUEUE]	= "StreamOfoQueue",
	[TEACH_MIB_STREAM_OFO_DROPS]	= "StreamOfoDrops",
	[TEACH_MIB_STREAM_DUP_DATA]	= "StreamDupData",
	[TEACH_MIB_STREAM_DELAYED_ACKS]	= "StreamDelayedAcks",
	[TEACH_MIB_STREAM_QUICK_ACKS]	= "StreamQuickAcks",
	[TEACH_MIB_STREAM_FAST_RETRANS]	= "StreamFastRetrans",
	[TEACH_MIB_STREAM_PARTIAL_ACKS]	= "StreamPartialAcks",
	[TEACH_MIB_STREAM_TIMEOUTS]	= "StreamTimeouts",
	[TEACH_MIB_STREAM_ZERO_WND_PROBES] = "StreamZeroWndProbes",
	[TEACH_MIB_STREAM_ABORT_ON_DATA] = "StreamAbortOnData",
	[TEACH_MIB_STREAM_ABORT_ON_CLOSE] = "StreamAbortOnClose",
	[TEACH_MIB_STREAM_ABORT_ON_LINGER] = "StreamAbortOnLinger",
	[TEACH_MIB_STREAM_ABORT_ON_TIMEOUT] = "StreamAbortOnTimeout",
	[TEACH_MIB_STREAM_CHALLENGE_ACKS] = "StreamChallengeAcks",
	[TEACH_MIB_STREAM_TIME_WAITED]	= "StreamTimeWaited",
	[TEACH_MIB_STREAM_TW_OVERFLOWS]	= "StreamTwOverflows",
	[TEACH_MIB_STREAM_BAD_OPTIONS]	= "StreamBadOptions",
	[TEACH_MIB_STREAM_PAWS_DROPS]	= "StreamPAWSDrops",
	[TEACH_MIB_STREAM_SACK_RECV]	= "StreamSACKRecv",
	[TEACH_MIB_STREAM_SACK_DISCARD]	= "StreamSACKDiscard",
	[TEACH_MIB_STREAM_SACK_RECOVERY] = "StreamSACKRecovery",
	[TEACH_MIB_STREAM_SACK_RETRANS]	= "StreamSACKRetrans",
	[TEACH_MIB_STREAM_SACK_SKIPPED]	= "StreamSACKSkipped",
	[TEACH_MIB_STREAM_SACK_RENEGING] = "StreamSACKReneging",
	[TEACH_MIB_STREAM_KEEPALIVE_PROBES] = "StreamKeepAliveProbes",
	[TEACH_MIB_STREAM_KEEPALIVE_TIMEOUTS] = "StreamKeepAliveTimeouts",
	[TEACH_MIB_STREAM_TW_RECYCLED]	= "StreamTwRecycled",
	[TEACH_MIB_STREAM_GSO_SENT]	= "StreamGSOSent",
	[TEACH_MIB_GSO_SEGMENTED]	= "GSOSegmented",
	[TEACH_MIB_STREAM_RCVBUF_GROWN]	= "StreamRcvbufGrown",
	[TEACH_MIB_STREAM_SNDBUF_GROWN]	= "StreamSndbufGrown",
	[TEACH_MIB_STREAM_CHALLENGE_SKIPPED] = "StreamChallengeSkipped",
	[TEACH_MIB_STREAM_RST_BAD_SEQ]	= "StreamRSTBadSeq",
	[TEACH_MIB_STREAM_RST_OUT_OF_WINDOW] = "StreamRSTOutOfWindow",
	[TEACH_MIB_STREAM_SYN_CHALLENGE] = "StreamSYNChallenge",
	[TEACH_MIB_STREAM_ACK_BAD]	= "StreamAckBad",
};

static const char * const teach_nud_names[] = {
	[TEACH_NUD_NONE]	= "NONE",
	[TEACH_NUD_INCOMPLETE]	= "INCOMPLETE",
	[TEACH_NUD_REACHABLE]	= "REACHABLE",
	[TEACH_NUD_STALE]	= "STALE",
	[TEACH_NUD_FAILED]	= "FAILED",
	[TEACH_NUD_PERMANENT]	= "PERMANENT",
};

static int teach_snmp_show(struct seq_file *seq, void *v)
{
	struct teach_net *tn = teach_pernet(seq_file_single_net(seq));
	int i;

	for (i = 0; i < __TEACH_MIB_MAX; i++)
		seq_printf(seq, "%s %llu\n", teach_mib_names[i],
			   teach_mib_read(tn, i));
	return 0;
}

struct teach_proc_neigh {
	struct seq_file *seq;
	struct net *net;
};

static int teach_neigh_show_one(const struct teach_neigh_info *ni, void *arg)
{
	static const u8 no_lladdr[ETH_ALEN];
	struct teach_proc_neigh *pn = arg;
	const char *state = "?";
	const u8 *lladdr = ni->lladdr;
	struct net_device *dev;

	if (ni->state < ARRAY_SIZE(teach_nud_names))
		state = teach_nud_names[ni->state];
	/* as in /proc/net/arp: zeros until the address is known */
	if (ni->state == TEACH_NUD_NONE || ni->state == TEACH_NUD_INCOMPLETE ||
	    ni->state == TEACH_NUD_FAILED)
		lladdr = no_lladdr;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(pn->net, ni->ifindex);
	seq_printf(pn->seq, "%-15pI4 %pM %-15s %-10s %6u %10u %5u\n",
		   &ni->addr, lladdr, dev ? dev->name : "?", state,
		   ni->probes, ni->age_ms, ni->qlen);
	rcu_read_unlock();
	return 0;
}

static int teach_neigh_show(struct seq_file *seq, void *v)
{
	struct teach_proc_neigh pn = {
		.seq = seq,
		.net = seq_file_single_net(seq),
	};
	unsigned long pos = 0;

	seq_printf(seq, "%-15s %-17s %-15s %-10s %6s %10s %5s\n", "Address",
		   "HWaddress", "Device", "State", "Probes", "AgeMs", "Queue");
	return teach_neigh_walk(pn.net, 0, teach_neigh_show_one, &pn, &pos);
}

static int teach_addr_show(struct seq_file *seq, void *v)
{
	struct teach_net *tn = teach_pernet(seq_file_single_net(seq));
	char prefix[sizeof("255.255.255.255/32")];
	struct teach_ifaddr *ifa;
	struct teach_dev *tdev;
	unsigned long ifindex;

	seq_printf(seq, "%-7s %-15s %-18s %s\n", "Ifindex", "Device",
		   "Address", "Broadcast");
	rcu_read_lock();
	xa_for_each(&tn->devs, ifindex, tdev) {
		list_for_each_entry_rcu(ifa, &tdev->addrs, list) {
			snprintf(prefix, sizeof(prefix), "%pI4/%u", &ifa->addr,
				 ifa->prefixlen);
			seq_printf(seq, "%-7lu %-15s %-18s %pI4\n", ifindex,
				   tdev->dev->name, prefix, &ifa->bcast);
		}
	}
	rcu_read_unlock();
	return 0;
}

static int teach_frag_show(struct seq_file *seq, void *v)
{
	struct teach_net *tn = teach_pernet(seq_file_single_net(seq));
	unsigned int queues;
	unsigned long mem;

	/* the FRAG line of /proc/net/sockstat, one field per line */
	teach_frags_usage(tn, &queues, &mem);
	seq_printf(seq, "inuse %u\nmemory %lu\n", queues, mem);
	return 0;
}

static int teach_pmtu_show_one(__be32 daddr, unsigned int mtu,
			       unsigned int expires, void *arg)
{
	seq_printf(arg, "%-15pI4 %5u %7u\n", &daddr, mtu, expires);
	return 0;
}

static int teach_pmtu_show(struct seq_file *seq, void *v)
{
	unsigned long pos = 0;
	int err;

	seq_printf(seq, "%-15s %5s %7s\n", "Destination", "MTU", "Expires");
	rcu_read_lock();
	err = teach_pmtu_walk(seq_file_single_net(seq), teach_pmtu_show_one,
			      seq, &pos);
	rcu_read_unlock();
	return err;
}

struct teach_proc_raw {
	struct seq_file *seq;
	unsigned int sl;
};

static int teach_raw_show_one(const struct teach_sock_info *si, void *arg)
{
	struct teach_proc_raw *pr = arg;

	seq_printf(pr->seq, "%5u: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %llu %u\n",
		   pr->sl++, (__force u32)si->laddr, si->lport,
		   (__force u32)si->raddr, si->rport, si->state, si->wqueue,
		   si->rqueue, 0, 0UL, 0, si->uid, 0, si->inode, si->drops);
	return 0;
}

static int teach_raw_show(struct seq_file *seq, void *v)
{
	struct teach_proc_raw pr = { .seq = seq };
	unsigned long pos = 0;

	seq_puts(seq, "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode drops\n");
	return teach_raw_walk(seq_file_single_net(seq), teach_raw_show_one,
			      &pr, &pos);
}

int teach_proc_net_init(struct net *net)
{
	struct teach_net *tn = teach_pernet(net);

	BUILD_BUG_ON(ARRAY_SIZE(teach_mib_names) != __TEACH_MIB_MAX);
	BUILD_BUG_ON(ARRAY_SIZE(teach_nud_names) != __TEACH_NUD_MAX);

	/* proc_net_mkdir: looked up afresh in each namespace, not cached */
	tn->proc_dir = proc_net_mkdir(net, "teach", net->proc_net);
	if (!tn->proc_dir)
		return -ENOMEM;

	if (!proc_create_net_single("snmp", 0444, tn->proc_dir,
				    teach_snmp_show, NULL) ||
	    !proc_create_net_single("neigh", 0444, tn->proc_dir,
				    teach_neigh_show, NULL) ||
	    !proc_create_net_single("addr", 0444, tn->proc_dir,
				    teach_addr_show, NULL) ||
	    !proc_create_net_single("frag", 0444, tn->proc_dir,
				    teach_frag_show, NULL) ||
	    !proc_create_net_single("pmtu", 0444, tn->proc_dir,
				    teach_pmtu_show, NULL) ||
	    !teach_dgram_proc_create(tn->proc_dir) ||
	    !teach_stream_proc_create(tn->proc_dir) ||
	    !proc_create_net_single("raw", 0444, tn->proc_dir,
				    teach_raw_show, NULL)) {
		teach_proc_net_exit(net);
		return -ENOMEM;
	}
	return 0;
}

void teach_proc_net_exit(struct net *net)
{
	struct teach_net *tn = teach_pernet(net);

	/* removes the files too */
	proc_remove(tn->proc_dir);
	tn->proc_dir = NULL;
}
