#!/bin/bash
# Keeps the edge's upstream addresses in step with the app containers.
#
# nginx (open source) resolves upstream names once, when it loads its configuration: it
# will not start while a name does not resolve, and it keeps a region's old address after
# that region's containers come back elsewhere. So the names are resolved here instead and
# written as addresses; a name that does not resolve (its containers are down or cut off)
# is written as a server marked `down`, so nginx starts and sends everything to the other.
#
#   edge-upstreams render   write the upstream file (before nginx starts and loads it)
#   edge-upstreams reload   render, and reload nginx when an address changed
#   edge-upstreams watch    reload twice a second, forever (started by edge-start)
#
# Upstreams: EDGE_PRIMARY (app-a:8080) and EDGE_BACKUP (app-b:8080).
set -uo pipefail

conf=/etc/nginx/edge/upstream-servers.conf
applied="$conf.applied"
primary="${EDGE_PRIMARY:-app-a:8080}"
backup="${EDGE_BACKUP:-app-b:8080}"

# One `server` line: the address the name resolves to now, or a placeholder marked down.
server_line() {
  local host="${1%:*}" port="${1##*:}" role="$2" address
  # A name that is gone gets no answer at all (the project's DNS has nowhere to send it);
  # give up on it after half a second.
  address=$(timeout 0.5 getent ahostsv4 "$host" | awk 'NR == 1 { print $1 }')
  if [[ -n "$address" ]]; then
    echo "server $address:$port max_fails=1 fail_timeout=2s${role:+ $role}; # $host"
  else
    echo "server 127.0.0.1:$port down${role:+ $role}; # $host does not resolve"
  fi
}

# Writes the upstream file; exit status 0 when it differs from what nginx last loaded
# (recorded in $applied), so that a reload that failed is tried again on the next round.
render() {
  local next
  next=$(mktemp "$conf.XXXXXX")
  { server_line "$primary" ""; server_line "$backup" backup; } >"$next"
  chmod 0644 "$next"
  if cmp -s "$next" "$applied"; then
    rm -f "$next"
    return 1
  fi
  mv -f "$next" "$conf"
  return 0
}

log() {
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) edge-upstreams: $*" >&2
}

# "app-a=192.168.16.3:8080 app-b=down" for the log.
summary() {
  sed -E 's/^server ([^ ]+) (down)?.*# ([^ ]+).*/\3=\2\1/; s/=down[^ ]*/=down/' "$conf" | tr '\n' ' '
}

reload() {
  render || return 0
  log "upstreams changed: $(summary)"
  if nginx -s reload 2>&1 | sed 's/^/edge-upstreams: /' >&2; then
    cp "$conf" "$applied"
  else
    log "nginx -s reload failed; trying again shortly"
  fi
}

case "${1:-}" in
  render) render; cp "$conf" "$applied" ;;
  reload) reload ;;
  watch) while sleep 0.5; do reload; done ;;
  *) echo "usage: edge-upstreams render|reload|watch" >&2; exit 2 ;;
esac
