/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What tping and ttraceroute share about their raw control socket: -I
 * (a device or a source address) and the path MTU a send was too big for.
 */
#ifndef _TEACH_TOOLS_PROBE_SOCK_H
#define _TEACH_TOOLS_PROBE_SOCK_H

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "libteach.h"

/*
 * -I: an address is the source to bind() to, anything else a device for
 * SO_BINDTODEVICE.  Returns 0, or -1 with errno set; *what says which
 * call failed.
 */
static inline int probe_sock_iface(int fd, const char *iface,
				   const char **what)
{
	struct sockaddr_teach sa;
	struct teach_addr src;

	if (!teach_pton(iface, &src)) {
		socklen_t len = teach_sockaddr(&sa, src, 0);

		*what = "bind to";
		return bind(fd, (struct sockaddr *)&sa, len);
	}
	*what = "SO_BINDTODEVICE";
	return setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface,
			  (socklen_t)strlen(iface) + 1);
}

/*
 * The MTU of the path to dst, header included, as TEACH_MTU gives it to a
 * connected socket (the route's device MTU, lowered by a learned path
 * MTU).  The probing socket cannot be connected itself: a connected raw
 * socket hears only its peer, and the errors come from routers.  So ask a
 * second socket, connected to dst, with the same -I.  Returns the MTU, or
 * -1 with errno set.
 */
static inline int probe_sock_path_mtu(struct teach_addr dst, const char *iface)
{
	struct sockaddr_teach sa;
	socklen_t len = sizeof(int), salen = teach_sockaddr(&sa, dst, 0);
	const char *what;
	int fd, mtu = -1, err;

	fd = teach_socket(SOCK_RAW, TEACHPROTO_CTRL);
	if (fd < 0)
		return -1;
	if ((!iface || !probe_sock_iface(fd, iface, &what)) &&
	    !connect(fd, (struct sockaddr *)&sa, salen) &&
	    !getsockopt(fd, SOL_TEACH, TEACH_MTU, &mtu, &len)) {
		close(fd);
		return mtu;
	}
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

#endif /* _TEACH_TOOLS_PROBE_SOCK_H */
