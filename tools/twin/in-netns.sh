#!/bin/sh
# Runs a command inside the twin's network namespace with the cgroup v1 hierarchy mounted.
# `ip netns exec` gives the command a fresh mount namespace with a new /sys, which hides
# /sys/fs/cgroup; LXC needs every v1 controller (and name=systemd, cgroup2 at unified) to place
# containers. LXC's command socket is abstract, so every lxc-* call must run in the same netns.
# usage: in-netns.sh <netns> <command> [args...]
set -eu
ns=$1
shift
exec ip netns exec "$ns" sh -c '
  set -e
  mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
  for c in cpu cpuacct cpuset memory devices freezer blkio pids; do
    mkdir -p "/sys/fs/cgroup/$c"
    mount -t cgroup -o "$c" cgroup "/sys/fs/cgroup/$c"
  done
  mkdir -p /sys/fs/cgroup/systemd /sys/fs/cgroup/unified
  mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
  mount -t cgroup2 cgroup2 /sys/fs/cgroup/unified
  exec "$@"
' in-netns "$@"
