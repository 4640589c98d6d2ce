#!/bin/bash
# store-failback: hands the order store back to its home region after a failover.
#
# Home shape: store-a is the primary, store-b replicates it (by name). After region a was
# lost and store-b promoted, region a's store comes back as a second, empty primary. This
# script, run by an operator or a drill's restore steps, brings the home shape back without
# losing what store-b accepted meanwhile:
#   1. store-a becomes a replica of store-b and copies everything from it;
#   2. store-b hands the primary role to store-a with FAILOVER (writes pause until store-a
#      has every last write, then store-a is promoted and store-b follows it);
#   3. store-b is pointed at store-a by name again (FAILOVER points it at an address).
# It is idempotent: from the home shape it only checks that replication is up, and it picks
# up where it left off. It refuses to guess when neither store is a primary.
#
# Settings: FAILBACK_HOME (store-a), FAILBACK_AWAY (store-b), FAILBACK_TIMEOUT seconds (20).
set -euo pipefail

home="${FAILBACK_HOME:-store-a}"
away="${FAILBACK_AWAY:-store-b}"
deadline=$((SECONDS + ${FAILBACK_TIMEOUT:-20}))

say() { echo "store-failback: $*"; }
die() { echo "store-failback: $*" >&2; exit 1; }

# One field of a server's INFO replication; empty when the server does not answer.
field() {
  { redis-cli -h "$1" INFO replication 2>/dev/null || true; } | tr -d '\r' | sed -n "s/^$2://p"
}

# Runs a command on a server and insists on an OK reply (redis-cli exits 0 on error replies).
command_ok() {
  local host="$1" reply
  shift
  reply=$(redis-cli -h "$host" "$@" 2>&1 || true)
  [[ "$reply" == OK* ]] || die "$host answered \"$reply\" to $*"
  say "$host: $* → $reply"
}

# Waits until a shell condition holds, or fails with what it was waiting for.
wait_until() {
  local what="$1" condition="$2"
  until eval "$condition"; do
    ((SECONDS < deadline)) || die "gave up waiting until $what"
    sleep 0.2
  done
  say "$what"
}

replicates() { # replicates <replica> <primary>: linked to it, by name, and in sync
  [[ "$(field "$1" role)" == slave && "$(field "$1" master_host)" == "$2" &&
     "$(field "$1" master_link_status)" == up && "$(field "$1" master_sync_in_progress)" == 0 ]]
}

home_role=$(field "$home" role)
away_role=$(field "$away" role)
[[ -n "$home_role" ]] || die "$home does not answer; start it first"
[[ -n "$away_role" ]] || die "$away does not answer; start it first"
say "now: $home is $home_role, $away is $away_role"

if [[ "$away_role" == master ]]; then
  # store-b holds the newest writes: copy them to store-a, then hand over.
  if [[ "$home_role" == master || "$(field "$home" master_host)" != "$away" ]]; then
    command_ok "$home" REPLICAOF "$away" 6379
  fi
  wait_until "$home has copied everything from $away" "replicates $home $away"
  until reply=$(redis-cli -h "$away" FAILOVER TIMEOUT 10000 2>&1) && [[ "$reply" == OK* ]]; do
    # FAILOVER needs the replica to be online in the primary's eyes; that can lag a moment.
    ((SECONDS < deadline)) || die "$away answered \"$reply\" to FAILOVER"
    sleep 0.2
  done
  say "$away: FAILOVER → $reply"
  wait_until "$home is the primary again" '[[ "$(field "$home" role)" == master && "$(field "$away" role)" == slave ]]'
elif [[ "$home_role" != master ]]; then
  die "neither $home nor $away is a primary; decide which holds the data and run REPLICAOF NO ONE on it"
fi

if [[ "$(field "$away" master_host)" != "$home" ]]; then
  command_ok "$away" REPLICAOF "$home" 6379
fi
wait_until "$away replicates $home" "replicates $away $home"
say "home shape: $home is the primary, $away replicates it"
