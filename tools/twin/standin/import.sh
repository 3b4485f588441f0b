#!/bin/sh
# Imports the twin's stand-in images into a Docker engine, one per image reference of the lab's
# compose files, so `docker compose up` (pull_policy missing) starts without any registry.
#
#   sh import.sh IMAGES_DIR [REF...]
#
# IMAGES_DIR holds rootfs.tar and import-list.tsv (built by tools/twin/assets.sh). Without REF all
# references are imported. POSIX sh and docker only (no jq): runs inside a twin container.
# Idempotent: an image whose STANDIN_BUILD matches this rootfs and entry is left alone.
#
# Real images: when IMAGES_DIR/real/ exists (assets.sh built with HOMELAB_TWIN_REAL_IMAGES=1), every
# reference whose repository (the reference without its tag) is listed in real/real-list.tsv is
# imported from that repository's real rootfs (Debian's nginx, prometheus, ... see
# tools/twin/standin/real/images.tsv) with the upstream image's entrypoint, command, user, working
# directory, ports, volumes and environment. HOMELAB_TWIN_REAL_IMAGES=0 imports stand-ins only;
# HOMELAB_TWIN_REAL_IMAGES=1 fails when real/ is missing.
set -eu
dir=${1:?usage: import.sh IMAGES_DIR [REF...]}
shift
list=$dir/import-list.tsv
tar=$dir/rootfs.tar
if [ ! -f "$list" ] || [ ! -f "$tar" ]; then
  echo "import.sh: $dir has no import-list.tsv and rootfs.tar" >&2
  exit 2
fi
command -v docker >/dev/null || { echo "import.sh: docker is not installed here" >&2; exit 2; }
build=$(cksum <"$tar" | cut -d' ' -f1)
tab=$(printf '\t')
undash() { [ "$1" = - ] && echo '' || echo "$1"; }

real=$dir/real
case ${HOMELAB_TWIN_REAL_IMAGES:-} in
  0) real= ;;
  1)
    if [ ! -f "$real/real-list.tsv" ]; then
      echo "import.sh: HOMELAB_TWIN_REAL_IMAGES=1 but $real/real-list.tsv is missing: build the assets with HOMELAB_TWIN_REAL_IMAGES=1" >&2
      exit 2
    fi ;;
  '') [ -f "$real/real-list.tsv" ] || real= ;;
  *) echo "import.sh: HOMELAB_TWIN_REAL_IMAGES must be 1 or 0, got '$HOMELAB_TWIN_REAL_IMAGES'" >&2; exit 2 ;;
esac
# The real-list.tsv line of a reference's repository (empty when it has none or real images are off).
real_line() {
  [ -n "$real" ] || return 0
  repo=$1
  case ${1##*:} in */*) ;; *) repo=${1%:*} ;; esac
  while IFS= read -r l; do
    case $l in "#"*) continue ;; esac
    [ "${l%%"$tab"*}" = "$repo" ] && { printf '%s\n' "$l"; return 0; }
  done <"$real/real-list.tsv"
  return 0
}
# import_real REF LINE ID: docker import of the real rootfs with the upstream image's config.
import_real() {
  ref=$1
  # repository, tar, user, workdir, entrypoint, cmd, expose, volume, env ('-' for none)
  IFS=$tab read -r _ rtar ruser rworkdir rentry rcmd rexpose rvolume renv <<EOF
$2
EOF
  set -- --change "ENTRYPOINT $rentry" --change "CMD $rcmd" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV STANDIN_BUILD=\"$3\"" --change "ENV STANDIN_IMAGE=\"$ref\""
  [ "$ruser" = - ] || set -- "$@" --change "USER $ruser"
  [ "$rworkdir" = - ] || set -- "$@" --change "WORKDIR $rworkdir"
  for p in $(undash "$rexpose"); do set -- "$@" --change "EXPOSE $p"; done
  for v in $(undash "$rvolume"); do set -- "$@" --change "VOLUME $v"; done
  for e in $(undash "$renv"); do set -- "$@" --change "ENV $e"; done
  docker import "$@" "$real/$rtar" "$ref" >/dev/null
}

wanted() {
  [ $# -eq 1 ] && return 0
  r=$1
  shift
  for w in "$@"; do [ "$w" = "$r" ] && return 0; done
  return 1
}

current() { docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$1" 2>/dev/null | grep -qx "STANDIN_BUILD=$2"; }

imported=0 kept=0 seen=0 reals=0
while IFS=$tab read -r ref service tcp udp paths metrics kind; do
  [ -n "$ref" ] || continue
  wanted "$ref" "$@" || continue
  seen=$((seen + 1))
  line=$(real_line "$ref")
  if [ -n "$line" ]; then
    reals=$((reals + 1))
    rtar=$(printf '%s\n' "$line" | cut -f2)
    id=real-$(cksum <"$real/$rtar" | cut -d' ' -f1)-$(printf '%s' "$line" | cksum | cut -d' ' -f1)
    if current "$ref" "$id"; then
      kept=$((kept + 1))
    else
      import_real "$ref" "$line" "$id"
      imported=$((imported + 1))
    fi
    continue
  fi
  id=$build-$(printf '%s' "$ref $service $tcp $udp $paths $metrics $kind" | cksum | cut -d' ' -f1)
  if current "$ref" "$id"; then
    kept=$((kept + 1))
    continue
  fi
  docker import \
    --change 'ENTRYPOINT ["/standin"]' \
    --change 'CMD []' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV STANDIN_SERVICE=\"$(undash "$service")\"" \
    --change "ENV STANDIN_IMAGE=\"$ref\"" \
    --change "ENV STANDIN_TCP=\"$(undash "$tcp")\"" \
    --change "ENV STANDIN_UDP=\"$(undash "$udp")\"" \
    --change "ENV STANDIN_PATHS=\"$(undash "$paths")\"" \
    --change "ENV STANDIN_METRICS=\"$(undash "$metrics")\"" \
    --change "ENV STANDIN_KIND=\"$(undash "$kind")\"" \
    --change "ENV STANDIN_BUILD=\"$id\"" \
    "$tar" "$ref" >/dev/null
  imported=$((imported + 1))
done <"$list"
if [ $# -gt 0 ] && [ "$seen" -lt $# ]; then
  echo "import.sh: some requested references are not in $list" >&2
  exit 1
fi
echo "import.sh: $imported imported, $kept already current${real:+ ($reals real images)}"
