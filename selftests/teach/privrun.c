// SPDX-License-Identifier: GPL-2.0
/*
 * privrun: do one thing with fewer privileges, for security_test.sh.
 *
 *   privrun [-u UID] [-k CAP[,CAP...]] [-U] [-N] ACTION
 *
 *   -u UID  become UID (and its group), supplementary groups dropped;
 *           every capability goes, but those -k names
 *   -k CAPS keep these (net_admin, net_raw, net_bind_service), also
 *           across exec (ambient)
 *   -U      then enter a new user namespace mapping 0 to UID: every
 *           capability in it, none over the network namespace, which
 *           the initial user namespace owns
 *   -N      then a new network namespace, owned by that user namespace
 *
 * ACTION is one of
 *   raw             open an AF_TEACH raw socket
 *   bind PORT       bind an AF_TEACH stream socket to PORT
 *   sysctl PATH VAL write VAL to /proc/sys/net/teach/PATH
 *   exec CMD...     run CMD
 *
 * Exit status: 0 done, 1 refused (the errno's text on stderr), 2 usage or
 * a failure to drop privileges.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libteach.h"

static void die(const char *what)
{
	fprintf(stderr, "privrun: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int cap_number(const char *name)
{
	if (!strcmp(name, "net_admin"))
		return CAP_NET_ADMIN;
	if (!strcmp(name, "net_raw"))
		return CAP_NET_RAW;
	if (!strcmp(name, "net_bind_service"))
		return CAP_NET_BIND_SERVICE;
	fprintf(stderr, "privrun: unknown capability %s\n", name);
	exit(2);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(path);
	close(fd);
}

/* Only the capabilities in keep (a mask of the low 32), in every set */
static void set_caps(__u32 keep)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { 0 };
	int c;

	data[0].effective = keep;
	data[0].permitted = keep;
	data[0].inheritable = keep;
	if (syscall(SYS_capset, &hdr, data))
		die("capset");
	for (c = 0; c < 32; c++)
		if ((keep & (1u << c)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0))
			die("PR_CAP_AMBIENT_RAISE");
}

static int refused(const char *what)
{
	fprintf(stderr, "privrun: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	int uid = -1, userns = 0, netns = 0, opt, fd;
	char *caps = NULL, *c, map[64], path[256];
	__u32 keep = 0;

	while ((opt = getopt(argc, argv, "+u:k:UN")) != -1) {
		switch (opt) {
		case 'u':
			uid = atoi(optarg);
			break;
		case 'k':
			caps = optarg;
			break;
		case 'U':
			userns = 1;
			break;
		case 'N':
			netns = 1;
			break;
		default:
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: privrun [-u UID] [-k CAPS] [-U] [-N] raw|bind PORT|sysctl PATH VAL|exec CMD...\n");
		return 2;
	}
	for (c = caps ? strtok(caps, ",") : NULL; c; c = strtok(NULL, ","))
		keep |= 1u << cap_number(c);

	if (uid >= 0) {
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
			die("PR_SET_KEEPCAPS");
		if (setgroups(0, NULL) || setresgid(uid, uid, uid))
			die("setresgid");
		if (setresuid(uid, uid, uid))
			die("setresuid");
		set_caps(keep);
		/* a changed uid made /proc/self root's: the maps need it ours */
		if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
			die("PR_SET_DUMPABLE");
	}
	if (userns) {
		uid_t u = geteuid();
		gid_t g = getegid();

		if (unshare(CLONE_NEWUSER))
			die("unshare(CLONE_NEWUSER)");
		write_file("/proc/self/setgroups", "deny");
		snprintf(map, sizeof(map), "0 %u 1", u);
		write_file("/proc/self/uid_map", map);
		snprintf(map, sizeof(map), "0 %u 1", g);
		write_file("/proc/self/gid_map", map);
	}
	if (netns && unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET)");

	if (!strcmp(argv[optind], "raw")) {
		fd = teach_socket(SOCK_RAW, TEACHPROTO_STREAM);
		if (fd < 0)
			return refused("raw socket");
		close(fd);
		return 0;
	}
	if (!strcmp(argv[optind], "bind") && optind + 1 < argc) {
		struct teach_addr any = { 0 };
		struct sockaddr_teach sa;
		socklen_t sl = teach_sockaddr(&sa, any, atoi(argv[optind + 1]));

		fd = teach_socket(SOCK_STREAM, 0);
		if (fd < 0)
			return refused("stream socket");
		if (bind(fd, (struct sockaddr *)&sa, sl))
			return refused("bind");
		close(fd);
		return 0;
	}
	if (!strcmp(argv[optind], "sysctl") && optind + 2 < argc) {
		snprintf(path, sizeof(path), "/proc/sys/net/teach/%s",
			 argv[optind + 1]);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			return refused(path);
		if (write(fd, argv[optind + 2], strlen(argv[optind + 2])) < 0)
			return refused(path);
		close(fd);
		return 0;
	}
	if (!strcmp(argv[optind], "exec") && optind + 1 < argc) {
		execvp(argv[optind + 1], argv + optind + 1);
		return refused(argv[optind + 1]);
	}
	fprintf(stderr, "privrun: unknown action %s\n", argv[optind]);
	return 2;
}
