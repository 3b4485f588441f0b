#!/usr/bin/env bash
# Cached assets of the homelab digital twin: what the twin's LXC containers are made of and what they
# reach instead of the internet. The twin has no internet, so everything the generated Ansible would
# download comes from here.
#
#   tools/twin/assets.sh build  [--cache DIR] [--ansible DIR] [--force]   build what is out of date
#   tools/twin/assets.sh verify [--cache DIR] [--ansible DIR] [--only SECTIONS]
#                                 offline tests; SECTIONS: static,installs,grafana,images (default) and
#                                 docker (real dockerd + compose with the stand-ins, on request)
#   tools/twin/assets.sh status [--cache DIR] [--ansible DIR]             exit 0 when all are current
#
# CACHE (default /var/cache/homelab-cdk/twin) holds:
#   rootfs/          Debian 13 rootfs standing in for Proxmox's debian-13-standard template. Lean on
#                    purpose: nothing the roles install is baked in (except python3-apt and
#                    openssh-client, which the template has too), so the roles do their real work.
#                    Host keys and hostname removed (made per container); units that cannot work in an
#                    unprivileged LXC masked, so `systemctl is-system-running` says running. apt points
#                    only at the twin's repo (http://10.10.10.1:8080/debian, signed by the twin key).
#                    Overlay lower dir of the privileged node stand-in.
#   rootfs-shifted/  the same tree with uids/gids shifted by 100000 (Proxmox's unprivileged idmap), the
#                    overlay lower dir of unprivileged containers.
#   repo/debian/     signed apt repository (suite trixie, component main) with every package the roles
#                    install and the dependencies and recommends apt would pull into rootfs/, exactly as
#                    resolved by trixie's own apt; nothing else. The package list is derived from the roles
#                    at build time (standin/role-packages.mjs), so a role that gains a package gains it here.
#   repo/grafana/    signed repository laid out like apt.grafana.com (stable main) with stand-in alloy and
#                    promtail packages: Grafana's repository is outside Debian and out of reach, and the
#                    log_agent role must still add a repository, fetch its key, install a pinned version,
#                    fix owner/group/mode of the config and start the unit. The stand-ins copy the real
#                    packages' users, units and conffiles, and fail where the real agent would.
#   repo/twin-key.asc, repo/grafana/gpg.key   the two signing keys (the twin's and the Grafana stand-in's)
#   images/          rootfs.tar (busybox + /standin entrypoint + curl/pg_isready/valkey-cli/nginx shims),
#                    manifest.json (per image reference: ports, paths, services, healthchecks),
#                    import-list.tsv and import.sh, which imports rootfs.tar once per reference inside a
#                    twin container (`sh import.sh DIR [REF...]`), healthchecks.tsv (for verify): no
#                    registry, and the real images are gigabytes; the lab's checks only need services
#                    that listen and answer where the compose files and prometheus.yml say.
#   keys/            GNUPGHOME of both keys (made once; the rootfs embeds the twin key).
#   work/            apt lists and the .deb download cache between builds (pruned to what the repo needs).
#
# Each asset is rebuilt only when its recipe changes (a hash kept in CACHE/.stamps/), built beside the
# old one and renamed into place when complete; builds hold an exclusive lock on CACHE/.lock.
# Environment: HOMELAB_TWIN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HERE/../.." && pwd)
STANDIN=$HERE/standin
CACHE=/var/cache/homelab-cdk/twin
ANSIBLE=$REPO_ROOT/synth-out/ansible
MIRROR=${HOMELAB_TWIN_MIRROR:-http://deb.debian.org/debian}
SUITE=trixie
# The twin host's address on the lab network: it serves repo/ there.
TWIN_URL=http://10.10.10.1:8080
# python3 and python3-apt: Ansible's interpreter and apt module; the standard template has both
# (apt-listchanges, reportbug). python3-debian: deb822_repository needs it; the template has it through
# reportbug. adduser: Priority important, in the template; package scripts call it. ca-certificates:
# in the template (wget's https); baked because its postinst (update-ca-certificates) cost ~5 minutes
# of the first converge with 28 containers on 2 cores, measured, for work a real host never does. Not
# baked, though in the template: nftables, python3-requests (the roles install them).
ROOTFS_PACKAGES=(systemd systemd-sysv dbus iproute2 openssh-server python3 python3-apt python3-debian
  procps iputils-ping less wget adduser ca-certificates)
# Role packages the rootfs may contain anyway (in the real template too).
BAKED_ROLE_PACKAGES=(python3-apt openssh-client ca-certificates)
# The two units that fail in an unprivileged LXC (no debugfs mount, no module loading) and leave
# systemd "degraded". Measured with lxc 5.0.2 and the Proxmox idmap on this rootfs: with them masked
# `systemctl is-system-running` says running (given SSH host keys: ssh.service fails without them).
MASK_UNITS=(sys-kernel-debug.mount systemd-modules-load.service)
PRUNE_DIRS=(usr/share/man usr/share/doc usr/share/locale usr/share/info)
# The Grafana stand-ins; the log_agent role's pins (name=version*) must match these.
declare -A STANDIN_VERSIONS=([alloy]=1.18.1-1~twin [promtail]=3.6.7-1~twin)
IDMAP=(-m b:0:100000:65536)
FORCE=0 ONLY=
# Bump when a recipe changes in a way its inputs do not show.
RECIPE_VERSION=1

die() { echo "assets: $*" >&2; exit 2; }
say() { echo "assets: $*"; }
hash16() { sha256sum | cut -c1-16; }

# --- tools ----------------------------------------------------------------------------------------

check_tools() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (mmdebstrap --mode=root, mounts, chroot)"
  local -A pkg_of=([mmdebstrap]=mmdebstrap [lxc-usernsexec]=lxc [newuidmap]=uidmap
    [apt-ftparchive]=apt-utils [dpkg-deb]=dpkg [gpg]=gnupg [gpgv]=gpgv [busybox]=busybox-static
    [gcc]=gcc [readelf]=binutils [node]=nodejs [unshare]=util-linux [flock]=util-linux [curl]=curl
    [ip]=iproute2 [ar]=binutils [xz]=xz-utils)
  local -a missing=()
  local tool
  for tool in "${!pkg_of[@]}"; do
    command -v "$tool" >/dev/null || missing+=("${pkg_of[$tool]}")
  done
  [[ -f /usr/lib/x86_64-linux-gnu/libc.a ]] || missing+=(libc6-dev)
  if ((${#missing[@]} > 0)); then
    die "missing tools; install them with: apt-get install -y --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
  fi
  busybox --list | grep -cx httpd >/dev/null || die "this busybox has no httpd applet: apt-get install -y busybox-static"
  file_is_static /bin/busybox || die "/bin/busybox is not static: apt-get install -y busybox-static"
  if ! grep -q '^root:100000:65536' /etc/subuid || ! grep -q '^root:100000:65536' /etc/subgid; then
    die "root needs the Proxmox id range: echo root:100000:65536 | tee -a /etc/subuid /etc/subgid"
  fi
  (cd "$REPO_ROOT" && node -e 'require.resolve("js-yaml")' 2>/dev/null) ||
    die "js-yaml is missing: run npm ci in $REPO_ROOT"
}

file_is_static() {
  # An ELF without a PT_INTERP program header (no dynamic loader) is static.
  ! LC_ALL=C readelf -l "$1" 2>/dev/null | grep -c 'Requesting program interpreter' >/dev/null
}

# --- stamps ---------------------------------------------------------------------------------------

stamp_file() { echo "$CACHE/.stamps/$1"; }
stamp_ok() { # stamp_ok NAME ID DIR (never with --force)
  ((FORCE == 0)) && [[ -e $3 && -f $(stamp_file "$1") ]] && head -n1 "$(stamp_file "$1")" | grep -cx "recipe=$2" >/dev/null
}
stamp_write() { # stamp_write NAME ID INFO
  mkdir -p "$CACHE/.stamps"
  printf 'recipe=%s\n%s\n' "$2" "$3" >"$(stamp_file "$1").new"
  mv "$(stamp_file "$1").new" "$(stamp_file "$1")"
}
stamp_drop() { rm -f "$(stamp_file "$1")"; }
# install_dir NEW DIR: put a finished tree in place (old one removed only after the rename).
install_dir() {
  local new=$1 dir=$2 old="$2.old.$$"
  ! in_use "$dir" || die "$dir is a lower layer of running containers: stop the twin before rebuilding it"
  if [[ -e $dir ]]; then mv "$dir" "$old"; fi
  mv "$new" "$dir"
  rm -rf "$old"
}

# in_use DIR: some mount namespace (a running twin container) has DIR as an overlay lower layer.
in_use() {
  local re
  re=$(printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g')
  grep -qsE "lowerdir=([^, ]*:)?$re([,: ]|\$)" /proc/[0-9]*/mountinfo
}

# Content of files as a recipe input: names, modes and bytes.
tree_hash() {
  local d
  for d in "$@"; do
    (cd "$d" && find . -type f -printf '%m %p\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
  done | hash16
}

T0=$SECONDS
STEP_T=0
step_begin() { STEP_T=$SECONDS; say "$1 ..."; }
step_end() { say "$1 ($((SECONDS - STEP_T)) s)"; }

# --- overlay chroots ------------------------------------------------------------------------------

# overlay_run LOWER SERVE SCRIPT [SRC=DST...]: runs SCRIPT (bash) chrooted in a throwaway overlay of
# LOWER, in private mount and PID namespaces: every mount and process is gone when it returns.
# SERVE '-': host network (to reach the Debian mirror). SERVE DIR: an empty network namespace where
# DIR is served at 10.10.10.1:8080, the twin's address, so apt uses the baked sources unchanged and
# nothing can come from the internet. Package scripts cannot start services (policy-rc.d).
overlay_run() {
  local lower=$1 serve=$2 script=$3
  shift 3
  local scratch
  mkdir -p "$CACHE/work"
  scratch=$(mktemp -d "$CACHE/work/overlay.XXXXXX")
  local -a ns=(--mount --pid --fork --kill-child --propagation private)
  [[ $serve != - ]] && ns+=(--net)
  local rc=0
  # shellcheck disable=SC2016 # the inner script expands its own variables
  unshare "${ns[@]}" bash -c '
    set -euo pipefail
    scratch=$1 lower=$2 serve=$3 script=$4
    shift 4
    mount -t tmpfs -o size=8g,mode=0755 tmpfs "$scratch"
    mkdir "$scratch/upper" "$scratch/work" "$scratch/root"
    r=$scratch/root
    mount -t overlay overlay -o "lowerdir=$lower,upperdir=$scratch/upper,workdir=$scratch/work" "$r"
    mount -t proc proc "$r/proc"
    mount --rbind /dev "$r/dev"
    mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
    for b in "$@"; do
      mkdir -p "$r${b#*=}"
      mount --bind "${b%%=*}" "$r${b#*=}"
    done
    printf "#!/bin/sh\nexit 101\n" >"$r/usr/sbin/policy-rc.d"
    chmod 755 "$r/usr/sbin/policy-rc.d"
    if [[ $serve == - ]]; then
      cat /etc/resolv.conf >"$r/etc/resolv.conf"
    else
      ip link set lo up
      ip addr add 10.10.10.1/32 dev lo
      busybox httpd -f -p 10.10.10.1:8080 -h "$serve" &
      for _ in $(seq 50); do busybox nc 10.10.10.1 8080 </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
    fi
    chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive /bin/bash -euo pipefail -c "$script"
  ' overlay-run "$scratch" "$lower" "$serve" "$script" "$@" || rc=$?
  rmdir "$scratch/upper" "$scratch/work" "$scratch/root" "$scratch" 2>/dev/null || rm -rf "$scratch"
  return "$rc"
}

# --- inputs ---------------------------------------------------------------------------------------

ROLE_LINES=
derive_packages() {
  step_begin "reading the apt tasks of $ANSIBLE"
  ROLE_LINES=$(node "$STANDIN/role-packages.mjs" "$ANSIBLE") || die "cannot derive the role packages (see above)"
  local label name glob
  while IFS=$'\t' read -r kind label name glob; do
    case $kind in
      pin)
        [[ -n ${STANDIN_VERSIONS[$name]:-} ]] ||
          die "$label pins $name=$glob, which is neither Debian's (unpinned) nor a stand-in (${!STANDIN_VERSIONS[*]})"
        # shellcheck disable=SC2053 # glob match on purpose: apt's name=version* pin
        [[ ${STANDIN_VERSIONS[$name]} == $glob ]] ||
          die "$label pins $name=$glob but the stand-in is ${STANDIN_VERSIONS[$name]}: update STANDIN_VERSIONS"
        ;;
      skip) say "  skipped: $label ($name)" ;;
    esac
  done <<<"$ROLE_LINES"
  local n
  n=$(role_packages | wc -l)
  step_end "$n Debian packages from $(grep -c '^set' <<<"$ROLE_LINES") apt tasks: $(role_packages | tr '\n' ' ')"
}
# Unique Debian package names of all apt tasks.
role_packages() { awk -F'\t' '$1 == "set" { for (i = 4; i <= NF; i++) print $i }' <<<"$ROLE_LINES" | sort -u; }

gpg_twin() { GNUPGHOME=$CACHE/keys gpg --batch --quiet --no-tty "$@"; }
# gpg starts an agent for the secret keys; it must not outlive the command.
stop_gpg_agent() { [[ ! -d $CACHE/keys ]] || GNUPGHOME=$CACHE/keys gpgconf --kill gpg-agent 2>/dev/null || true; }
key_fpr() { gpg_twin --with-colons --list-keys "$1" 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }'; }
TWIN_UID='homelab-cdk twin apt repository <twin@homelab.invalid>'
GRAFANA_UID='homelab-cdk twin Grafana stand-in <grafana-standin@homelab.invalid>'
ensure_keys() {
  mkdir -p "$CACHE/keys"
  chmod 0700 "$CACHE/keys"
  local uid made=
  for uid in "$TWIN_UID" "$GRAFANA_UID"; do
    if [[ -z $(key_fpr "$uid") ]]; then
      gpg_twin --pinentry-mode loopback --passphrase '' --quick-gen-key "$uid" ed25519 sign never
      made+=" '$uid'"
    fi
  done
  TWIN_FPR=$(key_fpr "$TWIN_UID")
  GRAFANA_FPR=$(key_fpr "$GRAFANA_UID")
  [[ -n $TWIN_FPR && -n $GRAFANA_FPR ]] || die "cannot create the signing keys in $CACHE/keys"
  [[ -z $made ]] || say "keys: made$made"
}

# --- rootfs ---------------------------------------------------------------------------------------

rootfs_id() {
  printf '%s\n' "v=$RECIPE_VERSION" "lists-dated=1" "suite=$SUITE" "mirror=$MIRROR" "packages=${ROOTFS_PACKAGES[*]}" \
    "mask=${MASK_UNITS[*]}" "prune=${PRUNE_DIRS[*]}" "key=$TWIN_FPR" "url=$TWIN_URL" | hash16
}

build_rootfs() {
  local id
  id=$(rootfs_id)
  if stamp_ok rootfs "$id" "$CACHE/rootfs"; then
    say "rootfs: up to date ($(sed -n 2p "$(stamp_file rootfs)"))"
    return 0
  fi
  # Checked before the work too: a rebuild must not pull a lower layer from under running containers.
  ! in_use "$CACHE/rootfs" || die "$CACHE/rootfs is a lower layer of running containers: stop the twin first"
  ! in_use "$CACHE/rootfs-shifted" || die "$CACHE/rootfs-shifted is a lower layer of running containers: stop the twin first"
  step_begin "rootfs: mmdebstrap $SUITE minbase + ${ROOTFS_PACKAGES[*]}"
  stamp_drop rootfs
  stamp_drop rootfs-shifted
  local new=$CACHE/rootfs.new.$$ log=$CACHE/work/mmdebstrap.log
  rm -rf "$CACHE"/rootfs.new.* "$CACHE"/rootfs.old.*
  mkdir -p "$CACHE/work"
  # The Packages index is kept (lists) so the repo step starts from it instead of fetching it again.
  if ! unshare -m --propagation private mmdebstrap --mode=root --variant=minbase \
    --dpkgopt=force-unsafe-io --skip=cleanup/apt/lists \
    --include="$(IFS=,; echo "${ROOTFS_PACKAGES[*]}")" "$SUITE" "$new" "$MIRROR" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "mmdebstrap failed (log: $log; is $MIRROR reachable?)"
  fi
  mkdir -p "$CACHE/work/apt-lists"
  find "$new/var/lib/apt/lists" -maxdepth 1 -type f -name '*_dists_*' -exec cp -p -t "$CACHE/work/apt-lists" {} +
  find "$new/var/lib/apt/lists" -mindepth 1 -delete
  mkdir -p "$new/var/lib/apt/lists/partial"
  # A template is built long before a container is made from it. Ansible's apt module trusts an empty
  # lists/ whose mtime is younger than cache_valid_time and then finds no package at all; date it like
  # a released template (debian-13-standard_13.1-2 is from 2025).
  touch -d '2025-09-01 00:00:00' "$new/var/lib/apt/lists/partial" "$new/var/lib/apt/lists"

  # Made per container by the twin (as Proxmox does at pct create): never shared through the lower dir.
  rm -f "$new/etc/hostname" "$new"/etc/ssh/ssh_host_*
  : >"$new/etc/resolv.conf"
  chmod 0644 "$new/etc/resolv.conf"
  : >"$new/etc/machine-id"
  rm -f "$new/var/lib/dbus/machine-id"
  local unit
  for unit in "${MASK_UNITS[@]}"; do ln -sfn /dev/null "$new/etc/systemd/system/$unit"; done
  # Root logs in with keys only (Debian's default, stated so a package cannot change it unnoticed).
  grep -qE '^#?PermitRootLogin prohibit-password' "$new/etc/ssh/sshd_config" ||
    die "sshd_config no longer defaults to PermitRootLogin prohibit-password"

  # apt: only the twin's repository, signed by the twin key.
  rm -f "$new/etc/apt/sources.list" "$new/etc/apt/sources.list.d/debian.sources"
  mkdir -p "$new/etc/apt/keyrings"
  gpg_twin --export "$TWIN_FPR" >"$new/etc/apt/keyrings/homelab-twin.gpg"
  chmod 0644 "$new/etc/apt/keyrings/homelab-twin.gpg"
  cat >"$new/etc/apt/sources.list.d/homelab-twin.sources" <<EOF
# The homelab digital twin's package repository (served by the twin host; no internet in the twin).
Types: deb
URIs: $TWIN_URL/debian
Suites: $SUITE
Components: main
Signed-By: /etc/apt/keyrings/homelab-twin.gpg
EOF
  rm -rf "$new"/var/cache/apt/*.bin "$new"/var/cache/apt/archives/*.deb "$new"/var/log/apt/* "$new/var/log/dpkg.log"
  local dir
  for dir in "${PRUNE_DIRS[@]}"; do find "$new/$dir" -mindepth 1 -delete; done

  # Nothing a role installs may be baked in (the roles must do the work), except the listed ones.
  local baked pkg
  # shellcheck disable=SC2016 # dpkg-query format
  baked=$(chroot "$new" dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" { print $2 }')
  for pkg in $(role_packages); do
    if grep -qx "$pkg" <<<"$baked" && ! printf '%s\n' "${BAKED_ROLE_PACKAGES[@]}" | grep -cx "$pkg" >/dev/null; then
      die "the rootfs contains $pkg, which a role installs: remove what pulls it from ROOTFS_PACKAGES"
    fi
  done
  local versions
  # shellcheck disable=SC2016 # dpkg-query format
  versions=$(chroot "$new" dpkg-query -W -f '${Package}=${Version} ' systemd openssh-server python3 apt)
  install_dir "$new" "$CACHE/rootfs"
  stamp_write rootfs "$id" "$versions"
  step_end "rootfs: $(du -sh "$CACHE/rootfs" | cut -f1), $(wc -l <<<"$baked") packages; $versions"
}

shifted_id() { printf '%s\n' "v=$RECIPE_VERSION" "rootfs=$(rootfs_id)" "map=${IDMAP[*]}" | hash16; }

build_shifted() {
  local id
  id=$(shifted_id)
  if stamp_ok rootfs-shifted "$id" "$CACHE/rootfs-shifted"; then
    say "rootfs-shifted: up to date"
    return 0
  fi
  step_begin "rootfs-shifted: copying rootfs/ with uids and gids + 100000"
  stamp_drop rootfs-shifted
  local new=$CACHE/rootfs-shifted.new.$$
  rm -rf "$CACHE"/rootfs-shifted.new.* "$CACHE"/rootfs-shifted.old.*
  mkdir "$new"
  chown 100000:100000 "$new"
  # dev/ stays empty: LXC mounts its own /dev, and mknod is not allowed in the user namespace.
  tar -C "$CACHE/rootfs" --numeric-owner --xattrs --acls --exclude='./dev/*' -cf - . |
    lxc-usernsexec "${IDMAP[@]}" -- tar -C "$new" --numeric-owner --xattrs --acls -xpf -
  [[ $(stat -c %u "$new/etc/shadow") == 100000 && $(stat -c %g "$new/etc/shadow") == 100042 ]] ||
    die "rootfs-shifted: etc/shadow is not owned by 100000:100042 (root:shadow shifted)"
  install_dir "$new" "$CACHE/rootfs-shifted"
  stamp_write rootfs-shifted "$id" "from rootfs $(rootfs_id)"
  step_end "rootfs-shifted: done"
}

# --- Debian repository ----------------------------------------------------------------------------

# One resolution per apt task, as apt would do it on a fresh container: install_recommends as the task
# says. Plus all tasks at once without recommends, so the combined closure is there too.
resolution_sets() {
  awk -F'\t' '$1 == "set" { out = $3; for (i = 4; i <= NF; i++) out = out " " $i; print out }' <<<"$ROLE_LINES"
  echo "no $(role_packages | tr '\n' ' ')"
}

# Runs in the rootfs's own apt (trixie's resolver, the rootfs's installed set): `apt-get -s` says which
# packages a container would fetch for each set; `apt-get download` fetches exactly those versions.
# Reads /twin-job/sets ("yes|no PKG..." per line), writes /twin-job/needed ("NAME VERSION ARCH").
read -r -d '' DOWNLOAD_SCRIPT <<'EOF' || true
rm -f /etc/apt/sources.list.d/*.sources /etc/apt/sources.list
printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' "$MIRROR" "$SUITE" \
  /usr/share/keyrings/debian-archive-keyring.gpg >/etc/apt/sources.list.d/debian.sources
apt=(apt-get -q -o APT::Sandbox::User=root -o Acquire::Retries=3 -o Acquire::Languages=none)
"${apt[@]}" update >/twin-job/update.log 2>&1 || { cat /twin-job/update.log; exit 1; }
: >/twin-job/needed
while read -r rec pkgs; do
  opt=(-o APT::Install-Recommends=false)
  [[ $rec == yes ]] && opt=(-o APT::Install-Recommends=true)
  # shellcheck disable=SC2086
  if ! "${apt[@]}" -s "${opt[@]}" install $pkgs >/twin-job/sim.log 2>&1; then
    cat /twin-job/sim.log
    echo "cannot resolve: $pkgs"
    exit 1
  fi
  # Inst NAME [OLD] (VERSION RELEASE [ARCH])
  awk '/^Inst / { for (i = 3; i <= NF; i++) if ($i ~ /^\(/) { v = substr($i, 2); break }
                  a = $NF; gsub(/[][)]/, "", a); print $2, v, a }' /twin-job/sim.log >>/twin-job/needed
done </twin-job/sets
sort -u -o /twin-job/needed /twin-job/needed
want=()
while read -r name version arch; do
  [[ -f /twin-debs/${name}_${version/:/%3a}_${arch}.deb ]] || want+=("$name=$version")
done </twin-job/needed
if ((${#want[@]} > 0)); then
  rm -rf /twin-debs/partial.dl
  mkdir /twin-debs/partial.dl
  cd /twin-debs/partial.dl || exit 1
  "${apt[@]}" download "${want[@]}" >/twin-job/download.log 2>&1 || { tail -n 20 /twin-job/download.log; exit 1; }
  mv -- *.deb /twin-debs/
  cd /twin-debs || exit 1
  rmdir partial.dl
fi
echo "${#want[@]}" >/twin-job/downloaded
EOF

debrepo_id() {
  printf '%s\n' "v=$RECIPE_VERSION" "rootfs=$(rootfs_id)" "mirror=$MIRROR" "key=$TWIN_FPR" \
    "sets=$(resolution_sets)" "members=uncompressed" | hash16
}

# repack_uncompressed IN OUT: the same package with its control and data members stored uncompressed.
# Why: 28 containers installing at once on 2 cores spend much of the install decompressing xz (docker.io,
# containerd, runc and friends: ~8 s of CPU per Docker host, measured). The members' tar streams are
# unchanged byte for byte (only the xz layer goes), the repository's Packages index carries the new sizes
# and hashes, and dpkg reads uncompressed members natively (deb(5)).
repack_uncompressed() {
  local in=$1 out=$2 tmp member
  tmp=$(mktemp -d "$CACHE/work/repack.XXXXXX")
  (cd "$tmp" && ar x "$in") || die "repo/debian: cannot unpack $in"
  local members=(debian-binary)
  for member in control data; do
    local f
    f=$(cd "$tmp" && ls -- "$member".tar* 2>/dev/null) || die "repo/debian: $in has no $member member"
    case $f in
      "$member".tar) ;;
      "$member".tar.xz) xz -d "$tmp/$f" ;;
      "$member".tar.zst)
        command -v zstd >/dev/null || die "repo/debian: $in is zstd-compressed: apt-get install -y zstd"
        zstd -q -d --rm "$tmp/$f" ;;
      "$member".tar.gz) gzip -d "$tmp/$f" ;;
      *) die "repo/debian: $in has an unknown member $f" ;;
    esac
    members+=("$member.tar")
  done
  # The member order is fixed by deb(5): debian-binary, control, data.
  (cd "$tmp" && ar rcD "$out.tmp" "${members[@]}") || die "repo/debian: cannot repack $in"
  mv "$out.tmp" "$out"
  rm -rf "$tmp"
}

build_debian_repo() {
  local id
  id=$(debrepo_id)
  if stamp_ok debian-repo "$id" "$CACHE/repo/debian"; then
    say "repo/debian: up to date ($(sed -n 2p "$(stamp_file debian-repo)"))"
    return 0
  fi
  step_begin "repo/debian: resolving the role packages with trixie's apt in the rootfs"
  stamp_drop debian-repo
  local job=$CACHE/work/job debs=$CACHE/work/debs lists=$CACHE/work/apt-lists
  rm -rf "$job"
  mkdir -p "$job" "$debs" "$lists/partial"
  resolution_sets >"$job/sets"
  overlay_run "$CACHE/rootfs" - "MIRROR=$MIRROR SUITE=$SUITE"$'\n'"$DOWNLOAD_SCRIPT" \
    "$job=/twin-job" "$debs=/twin-debs" "$lists=/var/lib/apt/lists" ||
    die "repo/debian: resolving or downloading failed (is $MIRROR reachable?)"

  local new=$CACHE/repo/debian.new.$$ name version arch file n=0
  rm -rf "$CACHE"/repo/debian.new.* "$CACHE"/repo/debian.old.*
  mkdir -p "$new/pool/main" "$new/dists/$SUITE/main/binary-amd64"
  : >"$job/keep"
  while read -r name version arch; do
    file="${name}_${version/:/%3a}_${arch}.deb"
    [[ -f $debs/$file ]] || die "repo/debian: $file was not downloaded"
    repack_uncompressed "$debs/$file" "$new/pool/main/$file"
    echo "$file" >>"$job/keep"
    n=$((n + 1))
  done <"$job/needed"
  # The download cache keeps only what this repo holds.
  find "$debs" -maxdepth 1 -name '*.deb' -printf '%f\n' | { grep -vxFf "$job/keep" || true; } |
    sed "s|^|$debs/|" | xargs -r rm -f
  make_repo_index "$new" "$SUITE" "$TWIN_FPR" "homelab-cdk twin" "Debian $SUITE packages the generated roles install"
  install_dir "$new" "$CACHE/repo/debian"
  gpg_twin --armor --export "$TWIN_FPR" >"$CACHE/repo/twin-key.asc"
  local info
  info="$n packages, $(du -sh "$CACHE/repo/debian" | cut -f1), $(cat "$job/downloaded") downloaded"
  stamp_write debian-repo "$id" "$info"
  step_end "repo/debian: $info"
}

# make_repo_index DIR SUITE FPR ORIGIN DESCRIPTION: Packages, Release, InRelease, Release.gpg.
make_repo_index() {
  local dir=$1 suite=$2 fpr=$3 origin=$4 desc=$5
  local bin=dists/$suite/main/binary-amd64
  mkdir -p "$dir/$bin"
  (cd "$dir" && apt-ftparchive packages pool/main >"$bin/Packages" && gzip -9nk "$bin/Packages")
  apt-ftparchive \
    -o "APT::FTPArchive::Release::Origin=$origin" -o "APT::FTPArchive::Release::Label=$origin" \
    -o "APT::FTPArchive::Release::Suite=$suite" -o "APT::FTPArchive::Release::Codename=$suite" \
    -o APT::FTPArchive::Release::Architectures=amd64 -o APT::FTPArchive::Release::Components=main \
    -o "APT::FTPArchive::Release::Description=$desc" \
    release "$dir/dists/$suite" >"$dir/Release.tmp"
  mv "$dir/Release.tmp" "$dir/dists/$suite/Release"
  gpg_twin --yes --digest-algo SHA512 --local-user "$fpr" --clearsign \
    -o "$dir/dists/$suite/InRelease" "$dir/dists/$suite/Release"
  gpg_twin --yes --digest-algo SHA512 --local-user "$fpr" --armor --detach-sign \
    -o "$dir/dists/$suite/Release.gpg" "$dir/dists/$suite/Release"
}

# --- Grafana repository ---------------------------------------------------------------------------

grafana_id() {
  printf '%s\n' "v=$RECIPE_VERSION" "key=$GRAFANA_FPR" "alloy=${STANDIN_VERSIONS[alloy]}" \
    "promtail=${STANDIN_VERSIONS[promtail]}" "deb=$(tree_hash "$STANDIN/deb")" | hash16
}

build_grafana_repo() {
  local id
  id=$(grafana_id)
  if stamp_ok grafana-repo "$id" "$CACHE/repo/grafana"; then
    say "repo/grafana: up to date"
    return 0
  fi
  step_begin "repo/grafana: stand-in alloy ${STANDIN_VERSIONS[alloy]}, promtail ${STANDIN_VERSIONS[promtail]}"
  stamp_drop grafana-repo
  local new=$CACHE/repo/grafana.new.$$ name stage
  rm -rf "$CACHE"/repo/grafana.new.* "$CACHE"/repo/grafana.old.*
  mkdir -p "$new/pool/main"
  for name in alloy promtail; do
    stage=$new/stage-$name
    cp -r "$STANDIN/deb/$name" "$stage"
    # Modes as the real packages have them, whatever the checkout's umask.
    find "$stage" -type d -exec chmod 0755 {} +
    find "$stage" -type f -exec chmod 0644 {} +
    chmod 0755 "$stage/DEBIAN/postinst" "$stage/usr/bin/$name"
    [[ -f $stage/DEBIAN/prerm ]] && chmod 0755 "$stage/DEBIAN/prerm"
    sed -i -e "s/@VERSION@/${STANDIN_VERSIONS[$name]}/" \
      -e "s/@SIZE@/$(du -sk --exclude=DEBIAN "$stage" | cut -f1)/" "$stage/DEBIAN/control"
    dpkg-deb --root-owner-group -Zxz --build "$stage" \
      "$new/pool/main/${name}_${STANDIN_VERSIONS[$name]}_amd64.deb" >/dev/null
    rm -rf "$stage"
  done
  make_repo_index "$new" stable "$GRAFANA_FPR" "homelab-cdk twin Grafana stand-in" \
    "Stand-ins for packages of Grafana's apt repository"
  gpg_twin --armor --export "$GRAFANA_FPR" >"$new/gpg.key"
  install_dir "$new" "$CACHE/repo/grafana"
  stamp_write grafana-repo "$id" "alloy=${STANDIN_VERSIONS[alloy]} promtail=${STANDIN_VERSIONS[promtail]}"
  step_end "repo/grafana: done"
}

# --- images ---------------------------------------------------------------------------------------

images_inputs() {
  # What the manifest reads: compose files, prometheus.yml, the inventory's addresses.
  (cd "$ANSIBLE" && find files -name compose.yml -o -name prometheus.yml | LC_ALL=C sort | xargs -r sha256sum &&
    grep -rh '^ansible_host:' inventory/host_vars 2>/dev/null | LC_ALL=C sort) | hash16
}
images_id() {
  printf '%s\n' "v=$RECIPE_VERSION" "image=$(tree_hash "$STANDIN/image")" "inputs=$(images_inputs)" \
    "code=$(cat "$STANDIN/manifest.mjs" "$STANDIN/standin-udp.c" "$STANDIN/import.sh" | hash16)" \
    "busybox=$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null || busybox | head -n1)" | hash16
}

build_images() {
  local id
  id=$(images_id)
  if stamp_ok images "$id" "$CACHE/images"; then
    say "images: up to date ($(sed -n 2p "$(stamp_file images)"))"
    return 0
  fi
  step_begin "images: stand-in rootfs and manifest from $ANSIBLE/files"
  stamp_drop images
  local new=$CACHE/images.new.$$
  rm -rf "$CACHE"/images.new.* "$CACHE"/images.old.*
  mkdir -p "$new"
  node "$STANDIN/manifest.mjs" "$ANSIBLE" "$new" >"$new/manifest.log" || { cat "$new/manifest.log" >&2; die "images: manifest failed"; }
  local stage=$new/stage
  mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,var/tmp,root,proc,sys,dev,run,config}
  chmod 1777 "$stage/tmp" "$stage/var/tmp"
  chmod 0700 "$stage/root"
  cp /bin/busybox "$stage/bin/busybox"
  local applet
  while read -r applet; do
    [[ -e $stage/$applet || -L $stage/$applet ]] || ln -s /bin/busybox "$stage/$applet"
  done < <(busybox --list-full)
  cp -r "$STANDIN/image/." "$stage/"
  chmod 0755 "$stage/standin" "$stage"/usr/bin/* "$stage"/usr/sbin/*
  ln -sfn valkey-cli "$stage/usr/bin/redis-cli"
  gcc -static -Os -s -Wall -o "$stage/usr/bin/standin-udp" "$STANDIN/standin-udp.c"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$stage/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$stage/etc/group"
  # Docker mounts its own /etc/hosts over this; localhost must resolve either way (the static busybox
  # reads /etc/hosts itself).
  printf '%s\n' '127.0.0.1 localhost' '::1 localhost ip6-localhost ip6-loopback' >"$stage/etc/hosts"
  : >"$stage/etc/resolv.conf"
  : >"$stage/etc/hostname"
  # Same bytes on every build: Docker shares the layer between all references and rebuilds match.
  tar -C "$stage" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$new/rootfs.tar" .
  rm -rf "$stage"
  cp "$STANDIN/import.sh" "$new/import.sh"
  chmod 0755 "$new/import.sh"
  local info
  info="$(sed 's/^manifest: //' "$new/manifest.log"), rootfs.tar $(du -h "$new/rootfs.tar" | cut -f1)"
  rm -f "$new/manifest.log"
  install_dir "$new" "$CACHE/images"
  stamp_write images "$id" "$info"
  step_end "images: $info"
}

# --- commands -------------------------------------------------------------------------------------

parse_args() {
  while (($# > 0)); do
    case $1 in
      --only) ONLY=${2:?--only needs static,installs,grafana,images}; shift ;;
      --cache) CACHE=${2:?--cache needs a directory}; shift ;;
      --ansible) ANSIBLE=${2:?--ansible needs a directory}; shift ;;
      --force) FORCE=1 ;;
      *) die "unknown argument $1 (usage: build|verify|status [--cache DIR] [--ansible DIR] [--force] [--only SECTIONS])" ;;
    esac
    shift
  done
  [[ -d $ANSIBLE/roles ]] || die "no Ansible project at $ANSIBLE (run the synth first, or pass --ansible)"
  ANSIBLE=$(realpath "$ANSIBLE")
  mkdir -p "$CACHE"
  CACHE=$(realpath "$CACHE")
  [[ $CACHE != *[,:]* ]] || die "overlayfs cannot use a cache path with ',' or ':' ($CACHE)"
}

lock() {
  exec 9>"$CACHE/.lock"
  flock "$1" -w 1800 9 || die "timed out waiting for the lock $CACHE/.lock"
}

cmd_build() {
  parse_args "$@"
  check_tools
  lock -x
  trap stop_gpg_agent EXIT
  mkdir -p "$CACHE/repo" "$CACHE/work"
  derive_packages
  ensure_keys
  build_rootfs
  build_shifted
  build_debian_repo
  build_grafana_repo
  build_images
  say "all assets current in $CACHE ($((SECONDS - T0)) s)"
}

# assets_current: one line per asset; status 0 when all are current.
assets_current() {
  local ok=0
  one() {
    if stamp_ok "$1" "$2" "$3"; then echo "$1: current ($(sed -n 2p "$(stamp_file "$1")"))"; else echo "$1: out of date"; ok=1; fi
  }
  one rootfs "$(rootfs_id)" "$CACHE/rootfs"
  one rootfs-shifted "$(shifted_id)" "$CACHE/rootfs-shifted"
  one debian-repo "$(debrepo_id)" "$CACHE/repo/debian"
  one grafana-repo "$(grafana_id)" "$CACHE/repo/grafana"
  one images "$(images_id)" "$CACHE/images"
  return "$ok"
}

cmd_status() {
  parse_args "$@"
  (cd "$REPO_ROOT" && node -e 'require.resolve("js-yaml")' 2>/dev/null) || die "js-yaml is missing: run npm ci in $REPO_ROOT"
  ROLE_LINES=$(node "$STANDIN/role-packages.mjs" "$ANSIBLE") || die "cannot derive the role packages"
  TWIN_FPR=$(key_fpr "$TWIN_UID" 2>/dev/null || true)
  GRAFANA_FPR=$(key_fpr "$GRAFANA_UID" 2>/dev/null || true)
  assets_current
}

# --- verify ---------------------------------------------------------------------------------------
# Offline proofs that the assets do their job, without LXC: the repos install everything the roles ask
# for from 10.10.10.1:8080 in a network namespace that has nothing else; the Grafana stand-ins behave
# like the real packages; every stand-in image answers its ports, paths and compose healthchecks.

PASS=0 FAIL=0
# tally: reads "ok NAME" / "FAIL NAME" lines (other lines are detail) and counts them.
tally() {
  local line
  while IFS= read -r line; do
    case $line in
      "ok "*) PASS=$((PASS + 1)); echo "  ok   ${line#ok }" ;;
      "FAIL "*) FAIL=$((FAIL + 1)); echo "  FAIL ${line#FAIL }" ;;
      *) echo "       $line" ;;
    esac
  done
}
# check NAME CMD...: one check on this host.
check() {
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then echo "ok $name"; else echo "FAIL $name"; printf '%s\n' "$out" | tail -n 12; fi
}
# T: the same helper for scripts that run in a chroot.
# shellcheck disable=SC2016
T='t() { local n=$1 out; shift; if out=$("$@" 2>&1); then echo "ok $n"; else echo "FAIL $n"; printf "%s\n" "$out" | tail -n 12; fi; }'

# overlay_check NAME SCRIPT: one offline chroot run that must succeed.
overlay_check() {
  local out rc=0 t=$SECONDS
  out=$(overlay_run "$CACHE/rootfs" "$CACHE/repo" "$2" "$ANSIBLE/files=/twin-files" 2>&1) || rc=$?
  if ((rc == 0)); then echo "ok $1 ($((SECONDS - t)) s)"; else echo "FAIL $1 ($((SECONDS - t)) s)"; printf '%s\n' "$out" | tail -n 15; fi
}

verify_signatures() {
  local k=$CACHE/work/verify
  mkdir -p "$k"
  gpg_twin --dearmor <"$CACHE/repo/twin-key.asc" >"$k/twin.gpg"
  gpg_twin --dearmor <"$CACHE/repo/grafana/gpg.key" >"$k/grafana.gpg"
  local d=$CACHE/repo/debian/dists/$SUITE g=$CACHE/repo/grafana/dists/stable
  check "repo/debian InRelease verifies with twin-key.asc (gpgv)" gpgv --keyring "$k/twin.gpg" "$d/InRelease"
  check "repo/debian Release.gpg verifies" gpgv --keyring "$k/twin.gpg" "$d/Release.gpg" "$d/Release"
  check "repo/grafana InRelease verifies with grafana/gpg.key" gpgv --keyring "$k/grafana.gpg" "$g/InRelease"
  check "repo/grafana is not signed by the twin key (the role must fetch gpg.key)" \
    bash -c "! gpgv --keyring '$k/twin.gpg' '$g/InRelease'"
  check "rootfs keyring is the twin key" cmp "$k/twin.gpg" "$CACHE/rootfs/etc/apt/keyrings/homelab-twin.gpg"
  check "Packages lists exactly the pool (debian)" bash -c \
    "[ \$(grep -c '^Package:' '$d/main/binary-amd64/Packages') -eq \$(ls '$CACHE/repo/debian/pool/main' | wc -l) ]"
  check "pool packages have uncompressed members; the largest unpacks to Debian's exact data tar" bash -c \
    "for f in '$CACHE'/repo/debian/pool/main/*.deb; do [ \"\$(ar t \"\$f\" | tr '\\n' ' ')\" = 'debian-binary control.tar data.tar ' ] || { echo \"\$f\"; exit 1; }; done
     f=\$(ls -S '$CACHE'/repo/debian/pool/main/*.deb | head -n1); o='$CACHE/work/debs/'\$(basename \"\$f\")
     cmp <(dpkg-deb --fsys-tarfile \"\$f\") <(dpkg-deb --fsys-tarfile \"\$o\")"
}

verify_debs() {
  local deb name
  for name in alloy promtail; do
    deb=$CACHE/repo/grafana/pool/main/${name}_${STANDIN_VERSIONS[$name]}_amd64.deb
    check "dpkg-deb -I $name: Package $name, Version ${STANDIN_VERSIONS[$name]}" bash -c \
      "[ \"\$(dpkg-deb -f '$deb' Package Version | tr '\n' ' ')\" = 'Package: $name Version: ${STANDIN_VERSIONS[$name]} ' ]"
  done
  deb=$CACHE/repo/grafana/pool/main/alloy_${STANDIN_VERSIONS[alloy]}_amd64.deb
  check "alloy deb: conffiles /etc/alloy/config.alloy /etc/default/alloy, postinst, prerm" bash -c \
    "dpkg-deb -I '$deb' conffiles | grep -cx /etc/alloy/config.alloy >/dev/null && dpkg-deb -I '$deb' conffiles | grep -cx /etc/default/alloy >/dev/null &&
     dpkg-deb -I '$deb' | grep -c ' postinst' >/dev/null && dpkg-deb -I '$deb' | grep -c ' prerm' >/dev/null"
  check "alloy deb: /usr/bin/alloy 0755 root, unit in /usr/lib/systemd/system" bash -c \
    "dpkg-deb -c '$deb' | grep -c '^-rwxr-xr-x root/root .* ./usr/bin/alloy$' >/dev/null && dpkg-deb -c '$deb' | grep -c './usr/lib/systemd/system/alloy.service$' >/dev/null"
  deb=$CACHE/repo/grafana/pool/main/promtail_${STANDIN_VERSIONS[promtail]}_amd64.deb
  check "promtail deb: conffile /etc/promtail/config.yml, unit in /etc/systemd/system" bash -c \
    "dpkg-deb -I '$deb' conffiles | grep -cx /etc/promtail/config.yml >/dev/null && dpkg-deb -c '$deb' | grep -c './etc/systemd/system/promtail.service$' >/dev/null"
}

verify_rootfs() {
  local r=$CACHE/rootfs s=$CACHE/rootfs-shifted unit
  check "rootfs: no etc/hostname, no SSH host keys, empty machine-id" bash -c \
    "[ ! -e '$r/etc/hostname' ] && ! ls '$r'/etc/ssh/ssh_host_* >/dev/null 2>&1 && [ ! -s '$r/etc/machine-id' ]"
  for unit in "${MASK_UNITS[@]}"; do
    check "rootfs: $unit masked" test "$(readlink "$r/etc/systemd/system/$unit")" = /dev/null
  done
  check "rootfs: apt sources are only homelab-twin.sources ($TWIN_URL/debian)" bash -c \
    "[ ! -e '$r/etc/apt/sources.list' ] && [ \"\$(ls '$r/etc/apt/sources.list.d')\" = homelab-twin.sources ] &&
     grep -qx 'URIs: $TWIN_URL/debian' '$r/etc/apt/sources.list.d/homelab-twin.sources'"
  check "rootfs: apt installs recommends (as in the template)" bash -c \
    "chroot '$r' apt-config dump APT::Install-Recommends | grep -c '\"1\"\\|\"true\"' >/dev/null || ! chroot '$r' apt-config dump | grep -c 'Install-Recommends \"\\(0\\|false\\)\"' >/dev/null"
  check "rootfs: no apt lists or cached debs" bash -c \
    "[ -z \"\$(find '$r/var/lib/apt/lists' '$r/var/cache/apt/archives' -type f -name '*[._]*' ! -name lock)\" ]"
  check "rootfs: none of the role packages installed but ${BAKED_ROLE_PACKAGES[*]}" bash -c \
    "for p in $(role_packages | tr '\n' ' '); do chroot '$r' dpkg-query -W -f '\${db:Status-Abbrev}' \$p 2>/dev/null | grep -c '^ii' >/dev/null &&
       ! echo ' ${BAKED_ROLE_PACKAGES[*]} ' | grep -c \" \$p \" >/dev/null && { echo \"baked: \$p\"; exit 1; }; done; true"
  check "rootfs-shifted: / owned 100000:100000, etc/shadow 100000:100042, same file count" bash -c \
    "[ \"\$(stat -c %u:%g '$s')\" = 100000:100000 ] && [ \"\$(stat -c %u:%g '$s/etc/shadow')\" = 100000:100042 ] &&
     [ \$(find '$r' -path '$r/dev' -prune -o -print | wc -l) -eq \$(find '$s' -path '$s/dev' -prune -o -print | wc -l) ]"
}

verify_installs() {
  local kind label rec pkgs opt
  local update='apt-get -q update >/tmp/u.log 2>&1 || { cat /tmp/u.log; exit 1; }
    if grep -E "^(W|E|Err):" /tmp/u.log; then exit 1; fi'
  local -a names=() scripts=()
  while IFS=$'\t' read -r kind label rec pkgs; do
    [[ $kind == set ]] || continue
    pkgs=${pkgs//$'\t'/ }
    opt=
    [[ $rec == no ]] && opt=--no-install-recommends
    names+=("offline install, as the task does ($rec recommends): ${label#roles/}: $pkgs")
    scripts+=("$update; apt-get install -y -q $opt $pkgs >/tmp/i.log 2>&1 || { tail -n 25 /tmp/i.log; exit 1; }")
  done <<<"$ROLE_LINES"
  local all yes_pkgs no_sets=
  all=$(role_packages | tr '\n' ' ')
  yes_pkgs=$(awk -F'\t' '$1 == "set" && $3 == "yes" { for (i = 4; i <= NF; i++) print $i }' <<<"$ROLE_LINES" | sort -u | tr '\n' ' ')
  while IFS=$'\t' read -r kind label rec pkgs; do
    [[ $kind == set && $rec == no ]] && no_sets+="apt-get install -y -q --no-install-recommends ${pkgs//$'\t'/ } >>/tmp/i.log 2>&1 || { tail -n 25 /tmp/i.log; exit 1; }"$'\n'
  done <<<"$ROLE_LINES"
  names+=("offline install of all role packages without recommends: $all")
  scripts+=("$update; apt-get install -y -q --no-install-recommends $all >/tmp/i.log 2>&1 || { tail -n 25 /tmp/i.log; exit 1; }
     apt-get check >/dev/null")
  names+=("offline install of all role packages, recommends as the tasks say (one host running every role)")
  scripts+=("$update; apt-get install -y -q $yes_pkgs >/tmp/i.log 2>&1 || { tail -n 25 /tmp/i.log; exit 1; }
     $no_sets apt-get check >/dev/null; [ -z \"\$(dpkg --audit)\" ]")
  # Independent overlays: as many at once as there are cores, the two long ones first; results in order.
  local out i jobs n=${#names[@]}
  jobs=$(nproc)
  out=$(mktemp -d "$CACHE/work/verify-installs.XXXXXX")
  for i in $((n - 1)) $((n - 2)) $(seq 0 $((n - 3))); do
    while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
    overlay_check "${names[$i]}" "${scripts[$i]}" >"$out/$i" &
  done
  wait
  for i in "${!names[@]}"; do cat "$out/$i"; done
  rm -rf "$out"
}

# The log_agent role's steps by hand, against the stand-in Grafana repository.
read -r -d '' GRAFANA_SCRIPT <<'EOF' || true
apt-get -q update >/tmp/u.log 2>&1 || { cat /tmp/u.log; exit 1; }
t "wget the Grafana key from 10.10.10.1:8080/grafana/gpg.key (deb822_repository signed_by)" \
  wget -q -O /etc/apt/keyrings/grafana.asc http://10.10.10.1:8080/grafana/gpg.key
printf 'Types: deb\nURIs: http://10.10.10.1:8080/grafana\nSuites: stable\nComponents: main\nSigned-By: /etc/apt/keyrings/grafana.asc\n' \
  >/etc/apt/sources.list.d/grafana.sources
t "apt-get update with the Grafana repository, no warnings" \
  sh -c 'apt-get -q update >/tmp/u.log 2>&1 && ! grep -E "^(W|E|Err):" /tmp/u.log || { cat /tmp/u.log; exit 1; }'
t "apt-get install alloy=$ALLOY_PIN (the role's pin)" sh -c "apt-get install -y -q 'alloy=$ALLOY_PIN' >/tmp/i.log 2>&1 || { cat /tmp/i.log; exit 1; }"
t "alloy $ALLOY_VERSION installed" test "$(dpkg-query -W -f '${Version}' alloy)" = "$ALLOY_VERSION"
# shellcheck disable=SC2016 # for the inner shell
t "user alloy: group alloy, also in adm and systemd-journal (postinst)" \
  sh -c '[ "$(id -gn alloy)" = alloy ] && id -nG alloy | grep -qw adm && id -nG alloy | grep -qw systemd-journal'
# shellcheck disable=SC2016 # for the inner shell
t "/etc/alloy root:alloy 770, /var/lib/alloy/data alloy:alloy 770" \
  sh -c '[ "$(stat -c %U:%G:%a /etc/alloy)" = root:alloy:770 ] && [ "$(stat -c %U:%G:%a /var/lib/alloy/data)" = alloy:alloy:770 ]'
t "alloy.service not enabled by the package (the role enables it)" test ! -e /etc/systemd/system/multi-user.target.wants/alloy.service
cp "$CONFIG" /etc/alloy/config.alloy
chown root:alloy /etc/alloy/config.alloy
chmod 0640 /etc/alloy/config.alloy
run_alloy() {
  # ExecStart of alloy.service, as its User and WorkingDirectory ($CUSTOM_ARGS split as systemd does).
  # shellcheck disable=SC1091,SC2086
  (set -a; . /etc/default/alloy; cd /var/lib/alloy &&
    runuser -u alloy -- timeout 2 /usr/bin/alloy run $CUSTOM_ARGS --storage.path=/var/lib/alloy/data $CONFIG_FILE)
}
t "alloy starts and stays up with the generated config root:alloy 0640" sh -c "$(declare -f run_alloy); run_alloy; [ \$? -eq 124 ]"
t "standin-status: config ok, journal ok" sh -c 'grep -q "^config=ok" /var/lib/alloy/data/standin-status && grep -qx journal=ok /var/lib/alloy/data/standin-status'
t "a Docker socket root:docker 0660 is denied until alloy is in docker" sh -c '
  groupadd -r docker
  python3 -c "import socket; socket.socket(socket.AF_UNIX).bind(\"/run/docker.sock\")"
  chgrp docker /run/docker.sock; chmod 0660 /run/docker.sock
  '"$(declare -f run_alloy)"'
  run_alloy; grep -q "^docker=denied" /var/lib/alloy/data/standin-status || exit 1
  usermod -a -G docker alloy
  run_alloy; grep -q "^docker=ok" /var/lib/alloy/data/standin-status'
chgrp root /etc/alloy/config.alloy
t "alloy fails when its config is root:root 0640 (a group bug in the role)" sh -c "$(declare -f run_alloy); run_alloy; [ \$? -eq 1 ]"
chgrp alloy /etc/alloy/config.alloy
echo 'logging {' >>/etc/alloy/config.alloy
t "alloy fails on unbalanced braces" sh -c "$(declare -f run_alloy); run_alloy; [ \$? -eq 1 ]"
t "apt-get remove alloy (prerm)" sh -c 'apt-get remove -y -q alloy >/tmp/r.log 2>&1 || { cat /tmp/r.log; exit 1; }'
t "apt-get install promtail=$PROMTAIL_PIN" sh -c "apt-get install -y -q 'promtail=$PROMTAIL_PIN' >/tmp/i.log 2>&1 || { cat /tmp/i.log; exit 1; }"
# shellcheck disable=SC2016 # for the inner shell
t "promtail: system user with primary group nogroup and no promtail group (as Grafana's deb)" \
  sh -c '[ "$(id -gn promtail)" = nogroup ] && ! getent group promtail'
t "promtail.service in /etc/systemd/system, enabled by the postinst" \
  sh -c 'test -f /etc/systemd/system/promtail.service && test -L /etc/systemd/system/multi-user.target.wants/promtail.service'
t "promtail starts and stays up as promtail with the package config" \
  sh -c 'runuser -u promtail -- timeout 2 /usr/bin/promtail -config.file /etc/promtail/config.yml; [ $? -eq 124 ]'
chmod 0600 /etc/promtail/config.yml
t "promtail fails when it cannot read its config" \
  sh -c 'runuser -u promtail -- timeout 2 /usr/bin/promtail -config.file /etc/promtail/config.yml; [ $? -eq 1 ]'
EOF

verify_grafana() {
  local config out rc=0
  config=$(cd "$ANSIBLE/files" && find . -path '*/log_agent/config.alloy' | LC_ALL=C sort | head -n1)
  [[ -n $config ]] || { echo "FAIL no files/*/log_agent/config.alloy in $ANSIBLE"; return; }
  out=$(overlay_run "$CACHE/rootfs" "$CACHE/repo" "$T
    ALLOY_PIN='$(pin_of alloy)' PROMTAIL_PIN='$(pin_of promtail)' ALLOY_VERSION='${STANDIN_VERSIONS[alloy]}'
    CONFIG='/twin-files/${config#./}'
    $GRAFANA_SCRIPT" "$ANSIBLE/files=/twin-files" 2>&1) || rc=$?
  printf '%s\n' "$out"
  ((rc == 0)) || echo "FAIL the Grafana checks stopped early (exit $rc)"
}
pin_of() { awk -F'\t' -v n="$1" '$1 == "pin" && $3 == n { print $4; exit }' <<<"$ROLE_LINES"; }

# Runs in an empty network namespace on a tmpfs copy of images/rootfs.tar: every manifest entry is
# started as the stand-in would be in Docker (uid 1000 unless it is SWAG, ENV from import-list.tsv,
# compose-like extra arguments), probed from outside and by its own compose healthchecks.
read -r -d '' IMAGES_SCRIPT <<'EOF' || true
set -uo pipefail
images=$1 scratch=$2
t() { local n=$1 out; shift; if out=$("$@" 2>&1); then echo "ok $n"; else echo "FAIL $n"; printf "%s\n" "$out" | tail -n 8; fi; }
mount -t tmpfs tmpfs "$scratch"
r=$scratch/root
mkdir "$r"
tar -C "$r" -xf "$images/rootfs.tar"
mount -t proc proc "$r/proc"
mount --rbind /dev "$r/dev"
ip link set lo up
sysctl -qw net.ipv4.ip_unprivileged_port_start=0  # as Docker sets it in every container
start() { # start UID ENV...: the entrypoint with compose-like arguments it must ignore
  local uid=$1
  shift
  chroot --userspec="$uid:$uid" "$r" /bin/busybox env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/tmp "$@" /standin serve --config.file=/etc/ignored.yml >"$scratch/log" 2>&1 &
  PID=$!
}
stop() { kill "$PID" 2>/dev/null; for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$PID" 2>/dev/null || break; sleep 0.2; done; wait "$PID" 2>/dev/null; }
up() { # up PORT...: wait until all accept
  local p
  for p in "$@"; do
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$p/" && break; sleep 0.1; done
  done
}
undash() { [ "$1" = - ] && echo || echo "$1"; }
while IFS=$'\t' read -r ref svc tcp udp paths metrics kind; do
  tcp=$(undash "$tcp") udp=$(undash "$udp") paths=$(undash "$paths") metrics=$(undash "$metrics") kind=$(undash "$kind")
  uid=1000
  [ "$kind" = swag ] && uid=0
  rm -rf "$r/config"/* "$r/tmp"/*
  start "$uid" STANDIN_SERVICE="$svc" STANDIN_IMAGE="$ref" STANDIN_TCP="$tcp" STANDIN_UDP="$udp" \
    STANDIN_PATHS="$paths" STANDIN_METRICS="$metrics" STANDIN_KIND="$kind" PUID=1000 PGID=1000
  # shellcheck disable=SC2086 # one argument per port
  up $tcp
  first=${tcp%% *}
  fails=
  for p in $tcp; do curl -fsS "http://127.0.0.1:$p/" | grep -cx "standin $svc ok /" >/dev/null || fails="$fails tcp/$p"; done
  for path in $paths; do curl -fsSL "http://127.0.0.1:$first$path" | grep -c "^standin $svc ok" >/dev/null || fails="$fails $path"; done
  for path in /metrics $metrics; do
    curl -fsSL "http://127.0.0.1:$first$path?target=x&module=y" | grep -cx "standin_up{service=\"$svc\"} 1" >/dev/null || fails="$fails $path"
  done
  for p in $udp; do
    reply=$(exec 3<>"/dev/udp/127.0.0.1/$p"; echo probe >&3; timeout 2 head -n1 <&3)
    [ "$reply" = "standin $svc udp $p" ] || fails="$fails udp/$p"
  done
  if [ -z "$fails" ]; then echo "ok image $ref: tcp [$tcp] udp [$udp] paths [$paths] metrics [$metrics] as uid $uid"
  else echo "FAIL image $ref: no answer on$fails"; tail -n 5 "$scratch/log"; fi
  # The compose healthchecks of every service using this image, inside the image, as the service's user.
  while IFS=$'\t' read -r cref hsvc huser hcmd; do
    [ "$cref" = "$ref" ] || continue
    [ "$huser" = - ] && huser=$uid
    t "healthcheck of $hsvc: $hcmd" chroot --userspec="$huser:$huser" "$r" /bin/sh -c "$hcmd"
  done <"$images/healthchecks.tsv"
  if [ "$kind" = swag ]; then
    c=$r/config/nginx
    t "swag: site-confs/default.conf passes the swag role's redirect assertions" sh -c \
      "grep -Eq '^[ \t]*listen 80 default_server;' '$c/site-confs/default.conf' && grep -Eq '^[ \t]*return 301 https://[\$]host[\$]request_uri;' '$c/site-confs/default.conf'"
    t "swag: nginx.conf has the 'http2 on;' line the role switches off" grep -Eq '^\s*http2 on;' "$c/nginx.conf"
    t "swag: /config owned by PUID:PGID 1000:1000, proxy-confs and samples present" sh -c \
      "[ \"\$(stat -c %u:%g '$c/site-confs/default.conf')\" = 1000:1000 ] && [ -d '$c/proxy-confs' ] && [ -f '$c/site-confs/default.conf.sample' ]"
    t "swag: nginx -t and nginx -s reload succeed" chroot "$r" /bin/sh -c 'nginx -t && nginx -s reload'
    echo '## Generated by homelab-cdk' >"$c/proxy-confs/x.subdomain.conf"; echo 'server {' >>"$c/proxy-confs/x.subdomain.conf"
    t "swag: nginx -t fails on a proxy conf with unbalanced braces" sh -c "! chroot '$r' nginx -t"
    rm -f "$c/proxy-confs/x.subdomain.conf"
    echo '# operator edit' >>"$c/site-confs/default.conf"
    stop
    start 0 STANDIN_SERVICE="$svc" STANDIN_TCP="$tcp" STANDIN_KIND=swag PUID=1000 PGID=1000
    # shellcheck disable=SC2086 # one argument per port
    up $tcp
    t "swag: a restart keeps an existing default.conf" grep -q '^# operator edit' "$c/site-confs/default.conf"
    rm -f "$c/site-confs/default.conf"
    t "swag: nginx -t and -s reload fail without default.conf" sh -c "! chroot '$r' nginx -t && ! chroot '$r' nginx -s reload"
  fi
  stop
  t "image $ref: stops on TERM" sh -c "! kill -0 $PID 2>/dev/null"
done <"$images/import-list.tsv"

# The shims against nothing listening, and curl's exit codes.
rm -rf "$r/tmp"/*
start 1000 STANDIN_SERVICE=probe STANDIN_TCP=8080
up 8080
in_image() { chroot --userspec=1000:1000 "$r" /bin/sh -c "$1"; }
t "curl -fsS -o /dev/null on 200: exit 0" in_image 'curl -fsS -o /dev/null http://localhost:8080/'
t "curl -fsS on 404: exit 22" sh -c "in_image() { chroot --userspec=1000:1000 '$r' /bin/sh -c \"\$1\"; }; in_image 'curl -fsS -o /dev/null http://localhost:8080/nope'; [ \$? -eq 22 ]"
t "curl -s on 404 without -f: exit 0 (as curl)" in_image 'curl -s -o /dev/null http://localhost:8080/nope'
t "curl on a refused port: exit 7" sh -c "chroot --userspec=1000:1000 '$r' curl -fsS http://127.0.0.1:9/ ; [ \$? -eq 7 ]"
t "curl -o FILE writes the body" in_image 'curl -fsS -o /tmp/body http://127.0.0.1:8080/ && grep -qx "standin probe ok /" /tmp/body'
t "pg_isready with nothing on 5432: exit 2" sh -c "chroot '$r' pg_isready --username x --dbname y; [ \$? -eq 2 ]"
t "valkey-cli ping with nothing on 6379: exit 1, no PONG" sh -c "out=\$(chroot '$r' valkey-cli ping 2>/dev/null); [ \$? -eq 1 ] && [ -z \"\$out\" ]"
t "pg_isready -p 8080 with a listener: exit 0" chroot "$r" pg_isready -h 127.0.0.1 -p 8080
stop
EOF

verify_images() {
  local scratch
  scratch=$(mktemp -d "$CACHE/work/images.XXXXXX")
  unshare --net --mount --pid --fork --kill-child --propagation private \
    bash -c "$IMAGES_SCRIPT" images-check "$CACHE/images" "$scratch" || echo "FAIL the image checks stopped early"
  rmdir "$scratch" 2>/dev/null || true
}

# Optional (--only docker, ~2 min): Debian's dockerd from repo/debian, pivot_root'ed into a throwaway
# overlay of rootfs/ in an empty network namespace, imports the stand-ins with images/import.sh and
# runs a few generated compose projects unchanged (dummy .env): every container must become healthy
# through Docker's own healthchecks and depends_on chains, SWAG's layout must appear, and
# `docker exec swag nginx -t` must pass. (A plain chroot is not enough: runc's exec needs a pivoted root.)
DOCKER_PROJECTS=(sonarr paperless swag rustdesk)
read -r -d '' DOCKER_SCRIPT <<'EOF' || true
t() { local n=$1 out; shift; if out=$("$@" 2>&1); then echo "ok $n"; else echo "FAIL $n"; printf "%s\n" "$out" | tail -n 12; fi; }
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
apt-get -q update >/tmp/u.log 2>&1 || { cat /tmp/u.log; exit 1; }
t "install docker.io docker-cli docker-compose from the twin repo" \
  sh -c 'apt-get install -y -q --no-install-recommends docker.io docker-cli docker-compose >/tmp/i.log 2>&1 || { tail /tmp/i.log; exit 1; }'
dockerd --storage-driver vfs --iptables=false -H unix:///run/docker.sock >/tmp/dockerd.log 2>&1 &
for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
t "images/import.sh imports every reference" sh -c 'sh /images/import.sh /images | grep -c " 0 already current" >/dev/null'
t "images/import.sh again: nothing to do" sh -c 'sh /images/import.sh /images | grep -c "^import.sh: 0 imported" >/dev/null'
for p in $PROJECTS; do
  mkdir -p "/opt/$p/config"
  cp "/files/$p/compose.yml" "/opt/$p/"
  # shellcheck disable=SC2016 # literal ${VAR:? in the compose file
  grep -o '${[A-Z_0-9]*:?' "/opt/$p/compose.yml" | sed 's/^${//; s/:?$/=dummy/' | sort -u >"/opt/$p/.env"
  t "docker compose up -d (pull missing, no registry): $p" sh -c "cd /opt/$p && docker compose up -d --pull missing --quiet-pull"
done
for _ in $(seq 90); do docker ps --format '{{.Status}}' | grep -c 'health: starting' >/dev/null || break; sleep 2; done
docker ps -a --format '{{.Names}}\t{{.Image}}\t{{.Status}}' >/tmp/ps
while IFS=$'\t' read -r name image status; do
  case $status in
    *"(healthy)"*) echo "ok container $name ($image): $status" ;;
    Up*"(health"*) echo "FAIL container $name ($image): $status"; docker logs "$name" 2>&1 | tail -n 5 ;;
    Up*) echo "ok container $name ($image): $status (no healthcheck)" ;;
    *) echo "FAIL container $name ($image): $status"; docker logs "$name" 2>&1 | tail -n 5 ;;
  esac
done </tmp/ps
if [ -d /opt/swag ]; then
  t "swag: nginx/site-confs/default.conf laid out by the stand-in's init" test -f /opt/swag/config/nginx/site-confs/default.conf
  t "docker exec swag nginx -t" docker exec swag nginx -t
  t "docker exec swag nginx -s reload" docker exec swag nginx -s reload
fi
EOF

verify_docker() {
  local scratch projects=() p rc=0
  for p in "${DOCKER_PROJECTS[@]}"; do [[ -f $ANSIBLE/files/$p/compose.yml ]] && projects+=("$p"); done
  scratch=$(mktemp -d "$CACHE/work/docker.XXXXXX")
  # shellcheck disable=SC2016 # the inner script expands its own variables
  unshare --mount --net --pid --fork --kill-child --propagation private bash -c '
    set -euo pipefail
    scratch=$1 cache=$2 files=$3 projects=$4 script=$5
    mount -t tmpfs -o size=8g tmpfs "$scratch"
    mkdir "$scratch/upper" "$scratch/work" "$scratch/root"
    r=$scratch/root
    mount -t overlay overlay -o "lowerdir=$cache/rootfs,upperdir=$scratch/upper,workdir=$scratch/work" "$r"
    mount --rbind /dev "$r/dev"
    mount -t sysfs sysfs "$r/sys"
    mount --rbind /sys/fs/cgroup "$r/sys/fs/cgroup"
    mount -t tmpfs tmpfs "$r/tmp"
    mount -t tmpfs tmpfs "$r/run"
    mkdir -p "$r/images" "$r/files"
    mount --bind "$cache/images" "$r/images"
    mount --bind "$files" "$r/files"
    printf "#!/bin/sh\nexit 101\n" >"$r/usr/sbin/policy-rc.d"
    chmod 755 "$r/usr/sbin/policy-rc.d"
    ip link set lo up
    ip addr add 10.10.10.1/32 dev lo
    busybox httpd -f -p 10.10.10.1:8080 -h "$cache/repo" &
    for _ in $(seq 50); do busybox nc 10.10.10.1 8080 </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
    cd "$r"
    mkdir -p .oldroot
    pivot_root . .oldroot
    mount -t proc proc /proc
    umount -l /.oldroot
    rmdir /.oldroot
    PROJECTS=$projects exec /bin/bash -c "$script"
  ' docker-check "$scratch" "$CACHE" "$ANSIBLE/files" "${projects[*]}" "$DOCKER_SCRIPT" || rc=$?
  rmdir "$scratch" 2>/dev/null || true
  ((rc == 0)) || echo "FAIL the Docker checks stopped early (exit $rc)"
}

# Sections run by default; docker only on request (--only docker).
want_section() { [[ (-z $ONLY && $1 != docker) || ,$ONLY, == *,$1,* ]]; }

verify_static() { verify_signatures; verify_debs; verify_rootfs; }

# One section of `verify`: skipped unless asked for, timed, its check lines counted by tally.
verify_section() {
  local name=$1 title=$2 fn=$3 t=$SECONDS
  want_section "$name" || return 0
  say "verify: $title"
  tally < <("$fn")
  say "verify: ($((SECONDS - t)) s)"
}

cmd_verify() {
  parse_args "$@"
  check_tools
  lock -s
  ROLE_LINES=$(node "$STANDIN/role-packages.mjs" "$ANSIBLE") || die "cannot derive the role packages"
  TWIN_FPR=$(key_fpr "$TWIN_UID") GRAFANA_FPR=$(key_fpr "$GRAFANA_UID")
  assets_current >/dev/null || die "assets are out of date: run tools/twin/assets.sh build first"
  local t0=$SECONDS
  verify_section static "signatures, stand-in packages, rootfs" verify_static
  verify_section installs "offline installs from $TWIN_URL in an empty network namespace" verify_installs
  verify_section grafana "the log_agent role's steps against the Grafana stand-ins" verify_grafana
  verify_section images "stand-in images (ports, paths, metrics, compose healthchecks, shims)" verify_images
  verify_section docker "real dockerd + docker compose with the stand-ins (${DOCKER_PROJECTS[*]})" verify_docker
  say "verify: done in $((SECONDS - t0)) s"
  echo "$PASS passed, $FAIL failed"
  ((FAIL == 0))
}

case "${1:-}" in
  build) shift; cmd_build "$@" ;;
  verify) shift; cmd_verify "$@" ;;
  status) shift; cmd_status "$@" ;;
  *) die "usage: $0 build|verify|status [--cache DIR] [--ansible DIR] [--force] [--only SECTIONS]" ;;
esac
