#!/bin/sh
# Imports the twin's stand-in images into a Docker engine, one per image reference of the lab's
# compose files, so `docker compose up` (pull_policy missing) starts without any registry.
#
#   sh import.sh IMAGES_DIR [REF...]
#
# IMAGES_DIR holds rootfs.tar and import-list.tsv (built by tools/twin/assets.sh). Without REF all
# references are imported. POSIX sh and docker only (no jq): runs inside a twin container.
# Idempotent: an image whose STANDIN_BUILD matches this rootfs and entry is left alone.
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

wanted() {
  [ $# -eq 1 ] && return 0
  r=$1
  shift
  for w in "$@"; do [ "$w" = "$r" ] && return 0; done
  return 1
}

imported=0 kept=0 seen=0
while IFS=$tab read -r ref service tcp udp paths metrics kind; do
  [ -n "$ref" ] || continue
  wanted "$ref" "$@" || continue
  seen=$((seen + 1))
  id=$build-$(printf '%s' "$ref $service $tcp $udp $paths $metrics $kind" | cksum | cut -d' ' -f1)
  if docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$ref" 2>/dev/null | grep -qx "STANDIN_BUILD=$id"; then
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
echo "import.sh: $imported imported, $kept already current"
