#!/usr/bin/env bash
# Runs every set-up script CI uses several times in a row (20 by default) once the machine is
# set up, and fails on the first run that fails: a set-up step that fails by chance (a pipe
# that dies of SIGPIPE, a race with the daemon) shows here instead of as a red CI run later.
# Usage: repeat-setup.sh [times]
set -euo pipefail
cd "$(dirname "$0")/.."

times="${1:-20}"
scripts=(.ci/provision-node.sh .ci/start-docker.sh .ci/install-test-tools.sh templates/demo/images/build-base-image.sh)
for script in "${scripts[@]}"; do
  for ((run = 1; run <= times; run++)); do
    if ! output=$(bash "$script" 2>&1); then
      echo "$script failed on run $run of $times:" >&2
      echo "$output" >&2
      exit 1
    fi
  done
  echo "$script: $times runs in a row, all passed"
done
