// Pseudo-terminals and passing their master over a unix socket.
#pragma once
#include "util.h"

// Opens a new pty from the devpts whose ptmx is given; the slave is opened through the
// master (TIOCGPTPEER) so no path lookup can be raced.
int pty_open(const char *ptmx, int *slave, struct strata_error *err);
int pty_send_fd(int sock, int fd);
int pty_recv_fd(int sock);
