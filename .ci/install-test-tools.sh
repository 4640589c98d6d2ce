#!/usr/bin/env bash
# Installs, from Debian's packages and only when missing, what the tests drive besides Docker:
# Chromium for the HTML report's browser tests (playwright-core drives it; it downloads no
# browser of its own) and xmllint, the validator the JUnit XML is checked with.
# --no-install-recommends: headless Chromium needs none of its Recommends (it renders with its
# own SwiftShader under --disable-gpu); fonts-liberation gives the report's text real fonts.
set -euo pipefail

need=()
if [[ -z "${FIREDRILL_CHROMIUM:-}" ]] && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  need+=(chromium fonts-liberation)
fi
command -v xmllint >/dev/null || need+=(libxml2-utils)
if ((${#need[@]})); then
  echo "installing ${need[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
"${FIREDRILL_CHROMIUM:-$(command -v chromium || command -v chromium-browser)}" --version
# Captured first, then cut: piping into `head` under pipefail fails at random when head exits
# before the writer is done (SIGPIPE, exit 141).
xmllint_version=$(xmllint --version 2>&1)
echo "${xmllint_version%%$'\n'*}"
