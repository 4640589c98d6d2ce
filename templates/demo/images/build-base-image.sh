#!/usr/bin/env bash
# Builds the demo topology's base image from Debian's packages, for machines that
# cannot reach an image registry. The image holds everything the demo's services need
# (redis, nginx, node for the app tier, iproute2/iptables for network faults, curl).
#
# Usage: build-base-image.sh [image-name]    (default: firedrill-base:bookworm)
# Skips the build when the image already exists; set FIREDRILL_REBUILD_BASE=1 to force it.
set -euo pipefail

image="${1:-firedrill-base:bookworm}"
packages="redis-server,redis-tools,nginx-light,nodejs,iproute2,iptables,curl,procps,ca-certificates"

if [[ "${FIREDRILL_REBUILD_BASE:-0}" != "1" ]] && docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image already present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "building the base image needs root (debootstrap); run with sudo" >&2
  exit 1
fi
if ! command -v debootstrap >/dev/null; then
  echo "debootstrap is missing: apt-get install -y debootstrap" >&2
  exit 1
fi

# Use the Debian mirror apt is already configured with, so the build works wherever apt does.
# (Captured whole, then cut: a pipe into `head` under pipefail fails at random on SIGPIPE.)
sources=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true)
mirror=$(grep -oE 'https?://[^ ]+' <<<"${sources%%$'\n'*}" || true)
mirror="${mirror:-http://deb.debian.org/debian}"

rootfs=$(mktemp -d /tmp/firedrill-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

echo "debootstrap bookworm from $mirror into $rootfs"
debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
  tail -n 40 "$rootfs.log" >&2
  exit 1
}
rm -f "$rootfs.log"
# Trim what no container needs.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*

tar -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
echo "built $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
