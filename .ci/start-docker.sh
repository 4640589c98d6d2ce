#!/usr/bin/env bash
# Makes sure a Docker Engine answers. When none does, installs Debian's docker.io and
# docker-compose if missing and starts dockerd in the background. Prints the pid of the
# dockerd it started (empty when one was already running) so the caller can stop it.
set -euo pipefail

if docker info >/dev/null 2>&1; then
  exit 0
fi

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || need+=(docker-compose)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v iptables >/dev/null || need+=(iptables)
if ((${#need[@]})); then
  echo "installing ${need[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${need[@]}" >&2
fi

log="${DOCKERD_LOG:-/tmp/firedrill-dockerd.log}"
setsid dockerd >"$log" 2>&1 < /dev/null &
pid=$!
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "$pid"
    exit 0
  fi
  sleep 1
done
echo "dockerd did not answer within 60 s; its log:" >&2
tail -n 30 "$log" >&2
exit 1
