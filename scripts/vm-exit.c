// SPDX-License-Identifier: GPL-2.0
/*
 * vm-exit CODE: leave the guest, handing CODE to the host through qemu's
 * isa-debug-exit device (qemu exits with (CODE << 1) | 1).  The serial ports
 * are drained first so that no output is lost.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>
#include <termios.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *ttys[] = { "/dev/ttyS0", "/dev/ttyS1" };
	int code = argc > 1 ? atoi(argv[1]) : 0;
	unsigned int i;

	for (i = 0; i < sizeof(ttys) / sizeof(ttys[0]); i++) {
		int fd = open(ttys[i], O_WRONLY | O_NOCTTY | O_NONBLOCK);

		if (fd >= 0) {
			tcdrain(fd);
			close(fd);
		}
	}
	if (ioperm(0xf4, 4, 1)) {
		perror("vm-exit: ioperm");
		return 1;
	}
	outl(code ? 1 : 0, 0xf4);
	/* Not reached when the device is present. */
	fprintf(stderr, "vm-exit: no isa-debug-exit device\n");
	return 1;
}
