#!/usr/bin/env bash
# A Debian 13 ("trixie") rootfs used as the Ansible test controller.
#
# Debian 12 ships ansible-core 2.14 with community.docker 3.x, which has no docker_compose_v2; the
# generated project targets ansible-core >= 2.17 and community.docker >= 4, so its checks run in trixie.
#
#   scripts/trixie-controller.sh build                 build (or reuse) the rootfs; needs the Debian mirror
#   scripts/trixie-controller.sh run [--rw] DIR -- CMD...
#                                                     run CMD inside it with DIR at /work (cwd /work)
#   scripts/trixie-controller.sh status               exit 0 and print the stamp when the rootfs is usable
#
# Environment: HOMELAB_TRIXIE_ROOT (rootfs dir, default /var/cache/homelab-cdk/trixie-controller),
# HOMELAB_TRIXIE_MIRROR (default http://deb.debian.org/debian), HOMELAB_CONTROLLER_TIMEOUT (seconds a
# `run` may take, default 600), HOMELAB_CONTROLLER_NETNS (run in this named network namespace, e.g. the
# digital twin's, instead of a fresh loopback-only one).
#
# `run` needs no network: it executes in fresh mount, PID and network namespaces (loopback only), so
# every mount and every stray process disappears with the command, whatever way it ends.
set -euo pipefail

ROOT="${HOMELAB_TRIXIE_ROOT:-/var/cache/homelab-cdk/trixie-controller}"
MIRROR="${HOMELAB_TRIXIE_MIRROR:-http://deb.debian.org/debian}"
SUITE=trixie
# git and yamllint come with ansible-lint anyway (Depends); listed so the intent survives a packaging
# change. docker-compose only Recommends docker-cli, and `docker-compose config` needs no engine.
# openssh-client: the digital twin (tools/twin) runs the generated playbooks over SSH from here.
# ansible-mitogen: Mitogen's strategy plugins (0.3.25~a2, ansible-core up to 2.19), for the twin's
# `--mitogen` measurement only; the generated ansible.cfg keeps Ansible's default strategy.
PACKAGES=(ansible ansible-lint yamllint docker-compose python3 git ca-certificates openssh-client ansible-mitogen)
# Docs, man pages and translations: nothing here reads them. Deleted after the install, because
# dpkg path-exclude on /usr/share/man/* failed on trixie's login.defs ("error creating directory
# ./usr/share/man/uk/man5") depending on unpack order.
PRUNE_DIRS=(usr/share/man usr/share/doc usr/share/locale usr/share/info)
# Bump when the build recipe changes in a way the package list does not show.
RECIPE_VERSION=1
STAMP_NAME=.homelab-cdk-controller.stamp

die() { echo "trixie-controller: $*" >&2; exit 2; }

recipe_id() {
  printf '%s\n' "version=$RECIPE_VERSION" "suite=$SUITE" \
    "packages=${PACKAGES[*]}" "prune=${PRUNE_DIRS[*]}" | sha256sum | cut -c1-16
}

stamp_ok() {
  [[ -f "$ROOT/$STAMP_NAME" ]] && head -n1 "$ROOT/$STAMP_NAME" | grep -qx "recipe=$(recipe_id)"
}

need_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (mount namespaces, chroot)"
}

lockfile() {
  mkdir -p "$(dirname "$ROOT")"
  echo "$ROOT.lock"
}

cmd_build() {
  need_root
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing: apt-get install -y --no-install-recommends mmdebstrap"
  exec 9>"$(lockfile)"
  # Exclusive: concurrent builds would race on the rename, and a rebuild must not pull the tree from
  # under a running check (those hold the lock shared).
  flock -x -w 900 9 || die "timed out waiting for the build lock $ROOT.lock"
  if stamp_ok; then
    echo "trixie-controller: up to date at $ROOT ($(sed -n 2p "$ROOT/$STAMP_NAME"))"
    return 0
  fi
  local start=$SECONDS new="$ROOT.new.$$" old="$ROOT.old.$$"
  rm -rf "$ROOT".new.* "$ROOT".old.*
  trap 'rm -rf "$new" "$old"' EXIT
  # unsafe-io: no fsync per file; a half-written tree is never stamped, so durability buys nothing.
  local -a opts=(--variant=minbase --dpkgopt=force-unsafe-io --include="$(IFS=,; echo "${PACKAGES[*]}")")
  echo "trixie-controller: building $SUITE rootfs (${PACKAGES[*]}) from $MIRROR"
  # mmdebstrap mounts /proc, /sys and /dev in the target while it installs; a private mount namespace
  # makes sure none of them outlives an interrupted build.
  # Its output is long; keep it in a log and show the end when it fails.
  local log="$ROOT.build.log"
  if ! unshare -m --propagation private mmdebstrap "${opts[@]}" "$SUITE" "$new" "$MIRROR" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "mmdebstrap failed (full log: $log; is $MIRROR reachable?)"
  fi
  local dir
  for dir in "${PRUNE_DIRS[@]}"; do find "$new/$dir" -mindepth 1 -delete; done
  mkdir -p "$new/work"
  # Remove whatever the package scripts left in these; `run` mounts fresh tmpfs over them anyway.
  rm -rf "${new:?}/root/.ansible" "${new:?}/.ansible"
  local versions
  # shellcheck disable=SC2016  # dpkg-query format, not shell
  versions=$(chroot "$new" dpkg-query -W -f '${Package}=${Version} ' ansible ansible-core ansible-lint yamllint docker-compose)
  # Prove the tree works (offline, the way tests use it) before calling it complete.
  (enter "$new" "$new/work" 1 120 ansible-playbook --version) >/dev/null || die "the new rootfs cannot run ansible"
  printf 'recipe=%s\n%s\n' "$(recipe_id)" "$versions" >"$new/$STAMP_NAME"
  if [[ -e "$ROOT" ]]; then mv "$ROOT" "$old"; fi
  mv "$new" "$ROOT"
  rm -rf "$old"
  trap - EXIT
  echo "trixie-controller: built $ROOT in $((SECONDS - start)) s, $(du -sh "$ROOT" | cut -f1); $versions"
}

cmd_status() {
  if stamp_ok; then
    echo "$ROOT"
    sed -n 2p "$ROOT/$STAMP_NAME"
    return 0
  fi
  if [[ -f "$ROOT/$STAMP_NAME" ]]; then
    echo "trixie-controller: $ROOT was built from another recipe; run: bash scripts/trixie-controller.sh build" >&2
  else
    echo "trixie-controller: no complete rootfs at $ROOT; run: bash scripts/trixie-controller.sh build" >&2
  fi
  return 1
}

cmd_run() {
  need_root
  local rw=0
  if [[ ${1:-} == --rw ]]; then rw=1; shift; fi
  [[ $# -ge 3 && $2 == -- ]] || die "usage: run [--rw] <workdir> -- <command...>"
  local workdir
  workdir=$(realpath -e -- "$1") || die "no such directory: $1"
  [[ -d $workdir ]] || die "not a directory: $workdir"
  shift 2
  stamp_ok || { cmd_status || true; exit 2; }
  if [[ $rw -eq 0 && $workdir =~ [,:] ]]; then
    die "overlayfs cannot take a lower directory whose path contains ',' or ':' ($workdir); use --rw on a copy"
  fi
  exec 9>"$(lockfile)"
  flock -s -w 900 9 || die "timed out waiting for a build to finish"
  enter "$ROOT" "$workdir" "$rw" "${HOMELAB_CONTROLLER_TIMEOUT:-600}" "$@"
}

# enter ROOT WORKDIR RW TIMEOUT CMD... (replaces the calling shell)
enter() {
  local root=$1 workdir=$2 rw=$3 timeout_s=$4
  shift 4
  # The inner script runs as PID 1 of the new PID namespace: when it ends (or is killed by timeout,
  # or by --kill-child when this process dies) the kernel kills every process left in the namespace
  # and drops the mount namespace with all its mounts. timeout signals its whole process group, so
  # PID 1 gets the TERM and passes it on; KILL follows 5 s later for whatever ignores TERM.
  # shellcheck disable=SC2016
  local -a netns=() unshare_net=(--net)
  if [[ -n ${HOMELAB_CONTROLLER_NETNS:-} ]]; then
    netns=(ip netns exec "$HOMELAB_CONTROLLER_NETNS")
    unshare_net=()
  fi
  exec timeout --kill-after=5 "$timeout_s" "${netns[@]}" \
    unshare --mount "${unshare_net[@]}" --pid --kill-child --propagation private \
    bash -c '
      set -euo pipefail
      root=$1 workdir=$2 rw=$3; shift 3
      ip link set lo up 2>/dev/null || true
      # The shared cache stays pristine: the tree is read-only, the places tools write are tmpfs.
      mount --bind "$root" "$root"
      mount -o remount,bind,ro "$root"
      mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
      mount -t tmpfs -o mode=1777,size=1g tmpfs "$root/tmp"
      mount -t tmpfs -o mode=1777,size=256m tmpfs "$root/var/tmp"
      mount -t tmpfs -o mode=1777,size=64m tmpfs "$root/dev/shm"
      mount -t tmpfs -o mode=0700,size=512m tmpfs "$root/root"
      mount -t tmpfs -o mode=0755,size=1g tmpfs "$root/run"
      if [[ $rw -eq 1 ]]; then
        mount --bind "$workdir" "$root/work"
      else
        # ansible-lint writes into the project (.ansible/, caches): give it a writable view whose
        # changes land in tmpfs and vanish, so the host tree is never modified.
        mkdir -p "$root/run/overlay/upper" "$root/run/overlay/work"
        mount -t overlay overlay \
          -o "lowerdir=$workdir,upperdir=$root/run/overlay/upper,workdir=$root/run/overlay/work" "$root/work"
      fi
      # PID 1 ignores signals it has no handler for, so it stays a shell that forwards them.
      trap "kill -TERM -1 2>/dev/null || true" TERM INT HUP
      env -i \
        HOME=/root USER=root LOGNAME=root SHELL=/bin/bash \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb NO_COLOR=1 PY_COLORS=0 \
        ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_LOCAL_TEMP=/tmp/ansible-local \
        chroot "$root" /bin/sh -c "cd /work && exec \"\$@\"" sh "$@" <&0 &
      child=$!
      set +e
      wait "$child"; rc=$?
      while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done
      exit "$rc"
    ' controller-run "$root" "$workdir" "$rw" "$@"
}

case "${1:-}" in
  build) shift; cmd_build "$@" ;;
  run) shift; cmd_run "$@" ;;
  status) shift; cmd_status "$@" ;;
  *) die "usage: $0 build | status | run [--rw] <workdir> -- <command...>" ;;
esac
