#!/bin/bash
# The edge container's entry point: write the upstream addresses, keep them current in the
# background, and run nginx in the foreground (the init process forwards signals to it).
set -euo pipefail
mkdir -p /etc/nginx/edge
edge-upstreams render
edge-upstreams watch &
exec nginx -g 'daemon off;'
