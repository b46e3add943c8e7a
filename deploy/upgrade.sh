#!/usr/bin/env bash
# Upgrades the server to a new version (run as root in /opt/patient-voice):
#   deploy/upgrade.sh [REF]        # REF: a tag or branch of the project's repository (default origin/main)
# 1. a backup first (patient-voice-backup.service, the nightly one), 2. the new code and its Python packages,
# 3. new unit/config files (install.sh keeps edited ones), 4. `python -m bot db upgrade` once, before any
# instance runs the new code, 5. restart web (nginx sends requests to worker meanwhile), wait for /healthz, then
# worker. A failed step stops the upgrade; restore with deploy/restore.sh (docs/deploy.md).
set -euo pipefail
ref="${1:-origin/main}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
systemctl start patient-voice-backup.service
git fetch --tags origin
git checkout --detach "$ref"
.venv/bin/python -m pip install --quiet -e .
deploy/install.sh
deploy/bot db upgrade
for role in web worker; do
  systemctl restart "patient-voice@$role"
  port="$(sed -n 's/^PORT=//p' "/etc/patient-voice/$role.env")"
  for _ in $(seq 60); do
    curl --silent --fail --max-time 2 "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 1
  done
  curl --silent --fail --max-time 2 "http://127.0.0.1:$port/healthz"
  echo " patient-voice@$role is up"
done
deploy/bot db current
