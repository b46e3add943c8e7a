#!/usr/bin/env bash
# Installs the Debian packages the tests need beyond Python (idempotent, quiet when all is there).
# chromium: the dashboard's headless browser test. nginx: tests/deploy checks deploy/nginx/ with `nginx -t`
# and starts its own nginx on a free 127.0.0.1 port (the package's own nginx.service is not started here).
# logrotate and systemd-analyze (tests/deploy) are part of every Debian. Nothing here is needed to run the
# service: the charts' Thai font ships inside the package (bot/fonts/).
set -euo pipefail
want=(chromium chromium-driver nginx-light logrotate)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "system-deps: apt-get not found; install ${missing[*]} by hand" >&2
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "system-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
# A developer's machine does not get a web server listening on port 80 because the tests wanted the binary:
# while installing, invoke-rc.d / deb-systemd-invoke are told not to start services (policy-rc.d, exit 101).
guard=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  guard=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$guard" >/dev/null
  $sudo chmod 755 "$guard"
  trap '$sudo rm -f "$guard"' EXIT
fi
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
