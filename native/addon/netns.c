// The network sandbox of netns.h: a tiny rtnetlink request builder and the steps made with it.
#include "netns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

// ---- a tiny netlink request builder -----------------------------------------------------------

struct req {
  char buf[1024];
  struct nlmsghdr *h;
};

static void req_init(struct req *r, int type, int flags, const void *body, size_t len) {
  memset(r->buf, 0, sizeof r->buf);
  r->h = (struct nlmsghdr *)r->buf;
  r->h->nlmsg_len = NLMSG_LENGTH(len);
  r->h->nlmsg_type = type;
  r->h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  memcpy(NLMSG_DATA(r->h), body, len);
}

static struct rtattr *attr(struct req *r, int type, const void *data, size_t len) {
  struct rtattr *a = (struct rtattr *)(r->buf + NLMSG_ALIGN(r->h->nlmsg_len));
  a->rta_type = type;
  a->rta_len = RTA_LENGTH(len);
  if (len) memcpy(RTA_DATA(a), data, len);
  r->h->nlmsg_len = NLMSG_ALIGN(r->h->nlmsg_len) + RTA_ALIGN(a->rta_len);
  return a;
}

static void nest_end(struct req *r, struct rtattr *nest) {
  nest->rta_len = (unsigned short)(r->buf + r->h->nlmsg_len - (char *)nest);
}

// Sends one request on a fresh socket of the calling thread's namespace and waits for its ack.
static int talk(struct req *r, const char *what, struct strata_error *err) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return make_syscall_error(err, errno, "socket", "netlink socket for %s", what);
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  int rc = 0;
  if (sendto(fd, r->buf, r->h->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
    rc = make_syscall_error(err, errno, "sendto", "netlink %s", what);
  } else {
    char reply[4096];
    ssize_t n = recv(fd, reply, sizeof reply, 0);
    if (n < 0) rc = make_syscall_error(err, errno, "recv", "netlink %s", what);
    else {
      struct nlmsghdr *h = (struct nlmsghdr *)reply;
      if (!NLMSG_OK(h, (size_t)n) || h->nlmsg_type != NLMSG_ERROR) rc = make_syscall_error(err, EPROTO, "recv", "netlink %s: no ack", what);
      else {
        struct nlmsgerr *ack = NLMSG_DATA(h);
        if (ack->error) rc = make_syscall_error(err, -ack->error, "netlink", "%s", what);
      }
    }
  }
  close(fd);
  return rc;
}

// ---- the steps ----------------------------------------------------------------------------

static int create_veth(const struct sandbox_spec *s, int nsfd, struct strata_error *err) {
  unsigned bridge = if_nametoindex(s->bridge);
  if (!bridge) return make_syscall_error(err, errno, "if_nametoindex", "bridge %s", s->bridge);
  struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
  struct req r;
  req_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof ifi);
  attr(&r, IFLA_IFNAME, s->host_veth, strlen(s->host_veth) + 1);
  attr(&r, IFLA_MASTER, &bridge, sizeof bridge);
  struct rtattr *info = attr(&r, IFLA_LINKINFO, NULL, 0);
  attr(&r, IFLA_INFO_KIND, "veth", 4);
  struct rtattr *data = attr(&r, IFLA_INFO_DATA, NULL, 0);
  struct rtattr *peer = attr(&r, VETH_INFO_PEER, NULL, 0);
  struct ifinfomsg peer_ifi = {.ifi_family = AF_UNSPEC};
  // the peer's ifinfomsg sits right after the attribute header
  memcpy(r.buf + r.h->nlmsg_len, &peer_ifi, sizeof peer_ifi);
  r.h->nlmsg_len += NLMSG_ALIGN(sizeof peer_ifi);
  attr(&r, IFLA_IFNAME, "eth0", 5);
  attr(&r, IFLA_ADDRESS, s->mac, 6);
  attr(&r, IFLA_NET_NS_FD, &nsfd, sizeof nsfd);
  nest_end(&r, peer);
  nest_end(&r, data);
  nest_end(&r, info);
  char what[128];
  snprintf(what, sizeof what, "create veth %s on %s", s->host_veth, s->bridge);
  return talk(&r, what, err);
}

static int link_up(int index, const char *name, struct strata_error *err) {
  struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = index, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
  struct req r;
  req_init(&r, RTM_NEWLINK, 0, &ifi, sizeof ifi);
  char what[64];
  snprintf(what, sizeof what, "set %s up", name);
  return talk(&r, what, err);
}

static int add_address(int index, const struct sandbox_spec *s, struct strata_error *err) {
  struct ifaddrmsg ifa = {.ifa_family = AF_INET, .ifa_prefixlen = (unsigned char)s->prefix, .ifa_index = (unsigned)index};
  struct req r;
  req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof ifa);
  uint32_t ip = htonl(s->ip);
  uint32_t brd = htonl(s->ip | (s->prefix == 32 ? 0 : (0xffffffffu >> s->prefix)));
  attr(&r, IFA_LOCAL, &ip, 4);
  attr(&r, IFA_ADDRESS, &ip, 4);
  attr(&r, IFA_BROADCAST, &brd, 4);
  return talk(&r, "add address to eth0", err);
}

static int add_default_route(int index, uint32_t gateway, struct strata_error *err) {
  struct rtmsg rt = {.rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN, .rtm_protocol = RTPROT_BOOT,
                     .rtm_scope = RT_SCOPE_UNIVERSE, .rtm_type = RTN_UNICAST};
  struct req r;
  req_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rt, sizeof rt);
  uint32_t gw = htonl(gateway);
  attr(&r, RTA_GATEWAY, &gw, 4);
  attr(&r, RTA_OIF, &index, sizeof index);
  return talk(&r, "add default route", err);
}

static int configure_inside(const struct sandbox_spec *s, struct strata_error *err) {
  if (link_up(1, "lo", err) < 0) return -1; // lo is always index 1 in a new namespace
  if (!s->host_veth) return 0;             // --network none: lo alone
  int eth0 = (int)if_nametoindex("eth0");
  if (!eth0) return make_syscall_error(err, errno, "if_nametoindex", "eth0 in %s", s->netns_path);
  if (add_address(eth0, s, err) < 0 || link_up(eth0, "eth0", err) < 0) return -1;
  return add_default_route(eth0, s->gateway, err);
}

// The calling thread (only it) enters a new namespace and comes back; nothing else runs on it
// meanwhile, since the addon is synchronous.
int strata_create_sandbox(const struct sandbox_spec *s, struct strata_error *err) {
  int host = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (host < 0) return make_syscall_error(err, errno, "open", "own network namespace");
  // The way back must be open before leaving: from a user namespace (rootless) it is not, and a
  // failed return below aborts the process.
  if (setns(host, CLONE_NEWNET) < 0) {
    int saved = errno;
    close(host);
    return make_syscall_error(err, saved, "setns", "own network namespace, to come back to it after making %s", s->netns_path);
  }
  int fd = open(s->netns_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    close(host);
    return make_syscall_error(err, errno, "open", "create %s", s->netns_path);
  }
  close(fd);
  int rc = 0, nsfd = -1;
  bool mounted = false;
  if (unshare(CLONE_NEWNET) < 0) rc = make_syscall_error(err, errno, "unshare", "new network namespace");
  else {
    if (mount("/proc/thread-self/ns/net", s->netns_path, NULL, MS_BIND, NULL) < 0) rc = make_syscall_error(err, errno, "mount", "bind namespace on %s", s->netns_path);
    else mounted = true;
    if (rc == 0 && (nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) < 0) rc = make_syscall_error(err, errno, "open", "new network namespace");
    if (setns(host, CLONE_NEWNET) < 0) abort(); // a Node thread stranded in another namespace is worse than a crash
  }
  if (rc == 0 && s->host_veth) rc = create_veth(s, nsfd, err);
  if (rc == 0) {
    if (setns(nsfd, CLONE_NEWNET) < 0) rc = make_syscall_error(err, errno, "setns", "enter %s", s->netns_path);
    else {
      rc = configure_inside(s, err);
      if (setns(host, CLONE_NEWNET) < 0) abort();
    }
  }
  if (nsfd >= 0) close(nsfd);
  close(host);
  if (rc < 0) {
    if (mounted) umount2(s->netns_path, MNT_DETACH); // the namespace and the pair go with it
    unlink(s->netns_path);
  }
  return rc;
}

int strata_delete_link(const char *name, struct strata_error *err) {
  unsigned index = if_nametoindex(name);
  if (!index) return errno == ENODEV ? 0 : make_syscall_error(err, errno, "if_nametoindex", "link %s", name);
  struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = (int)index};
  struct req r;
  req_init(&r, RTM_DELLINK, 0, &ifi, sizeof ifi);
  char what[64];
  snprintf(what, sizeof what, "delete link %s", name);
  if (talk(&r, what, err) < 0) return err->errnum == ENODEV ? 0 : -1; // gone meanwhile: what we wanted
  return 0;
}
