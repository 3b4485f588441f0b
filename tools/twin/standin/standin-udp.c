/*
 * standin-udp NAME PORT...: answers every datagram on each UDP port with "standin NAME udp PORT\n".
 *
 * Part of the twin's stand-in Docker image. Debian's busybox has no UDP listener (its nc lacks -u),
 * so the UDP ports a compose file publishes (qBittorrent's 6881, RustDesk's 21116) get this small
 * static program: the port is bound, so Docker's UDP forwarding and a twin test that sends a probe
 * see an answer instead of an ICMP port-unreachable. Runs as any uid (binding needs no privilege
 * above the unprivileged port start, which Docker sets to 0 inside containers).
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PORTS 32

int main(int argc, char **argv) {
  struct pollfd fds[MAX_PORTS];
  int ports[MAX_PORTS];
  int n = 0;
  if (argc < 3) {
    fprintf(stderr, "usage: standin-udp NAME PORT...\n");
    return 2;
  }
  for (int i = 2; i < argc && n < MAX_PORTS; i++) {
    int port = atoi(argv[i]);
    if (port <= 0 || port > 65535) {
      fprintf(stderr, "standin-udp: bad port %s\n", argv[i]);
      return 2;
    }
    /* Dual-stack socket first; an IPv4 socket where IPv6 is disabled. */
    int fd = socket(AF_INET6, SOCK_DGRAM, 0);
    if (fd >= 0) {
      int off = 0;
      struct sockaddr_in6 a6;
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
      memset(&a6, 0, sizeof a6);
      a6.sin6_family = AF_INET6;
      a6.sin6_port = htons((unsigned short)port);
      a6.sin6_addr = in6addr_any;
      if (bind(fd, (struct sockaddr *)&a6, sizeof a6) != 0) {
        close(fd);
        fd = -1;
      }
    }
    if (fd < 0) {
      struct sockaddr_in a4;
      fd = socket(AF_INET, SOCK_DGRAM, 0);
      memset(&a4, 0, sizeof a4);
      a4.sin_family = AF_INET;
      a4.sin_port = htons((unsigned short)port);
      a4.sin_addr.s_addr = htonl(INADDR_ANY);
      if (fd < 0 || bind(fd, (struct sockaddr *)&a4, sizeof a4) != 0) {
        fprintf(stderr, "standin-udp: cannot bind udp/%d: %s\n", port, strerror(errno));
        return 1;
      }
    }
    fds[n].fd = fd;
    fds[n].events = POLLIN;
    ports[n++] = port;
  }
  for (;;) {
    if (poll(fds, (nfds_t)n, -1) < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    for (int i = 0; i < n; i++) {
      if (!(fds[i].revents & POLLIN)) continue;
      char buf[2048], reply[256];
      struct sockaddr_storage peer;
      socklen_t len = sizeof peer;
      if (recvfrom(fds[i].fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &len) < 0) continue;
      int r = snprintf(reply, sizeof reply, "standin %s udp %d\n", argv[1], ports[i]);
      sendto(fds[i].fd, reply, (size_t)r, 0, (struct sockaddr *)&peer, len);
    }
  }
}
