#!/usr/bin/env bash
# Installs the Debian packages the tests need beyond Python (idempotent, quiet when all is there).
# chromium: the dashboard's headless browser test. Nothing here is needed to run the service: the charts'
# Thai font ships inside the package (bot/fonts/).
set -euo pipefail
want=(chromium chromium-driver)
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
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
