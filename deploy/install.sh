#!/usr/bin/env bash
# Puts deploy/'s files in place on a Debian server (run as root from the clone at /opt/patient-voice, after
# `make install`); safe to run again — it never overwrites settings or the hospital's config files, and adds
# config files a new version brings:
#   deploy/install.sh                  # the server itself: also the system user, ownership, systemctl
#   deploy/install.sh --root DIR       # the same files under DIR only (what tests/deploy checks)
# Installs: systemd units (patient-voice@.service, patient-voice-backup.{service,timer}),
# /etc/patient-voice/{patient-voice,web,worker}.env (from the examples) and config/, the nginx site, the
# logrotate file, and /var/lib/patient-voice/media, /var/log/patient-voice, /var/backups/patient-voice.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
root=/
if [ "${1:-}" = "--root" ]; then root="${2:?--root needs a directory}"; fi
r="${root%/}"
etc="$r/etc/patient-voice"

install -d -m 0755 "$r/etc/systemd/system" "$r/etc/nginx/sites-available" "$r/etc/nginx/sites-enabled" \
  "$r/etc/logrotate.d" "$etc" "$r/var/log/patient-voice"
install -d -m 0750 "$r/var/lib/patient-voice" "$r/var/lib/patient-voice/media" "$r/var/backups/patient-voice"
install -m 0644 "$here"/systemd/patient-voice@.service "$here"/systemd/patient-voice-backup.service \
  "$here"/systemd/patient-voice-backup.timer "$r/etc/systemd/system/"
install -m 0644 "$here/nginx/patient-voice.conf" "$r/etc/nginx/sites-available/patient-voice"
ln -sfn ../sites-available/patient-voice "$r/etc/nginx/sites-enabled/patient-voice"
install -m 0644 "$here/logrotate/patient-voice" "$r/etc/logrotate.d/patient-voice"
# settings: only when missing (they hold the secrets)
[ -e "$etc/patient-voice.env" ] || install -m 0640 "$here/patient-voice.env.example" "$etc/patient-voice.env"
for role in web worker; do
  [ -e "$etc/$role.env" ] || install -m 0644 "$here/$role.env" "$etc/$role.env"
done
# the hospital's data files (CONFIG_DIR): new files are added, edited ones kept
(cd "$repo/config" && find . -type f) | while read -r f; do
  [ -e "$etc/config/$f" ] || install -D -m 0644 "$repo/config/$f" "$etc/config/$f"
done

if [ "$root" = / ]; then
  id -u patient-voice >/dev/null 2>&1 || adduser --system --group --home /var/lib/patient-voice --no-create-home patient-voice
  chown root:patient-voice "$etc/patient-voice.env"
  chown -R patient-voice:patient-voice /var/lib/patient-voice /var/backups/patient-voice
  systemctl daemon-reload
fi
echo "installed under $root; next: edit $etc/patient-voice.env (docs/deploy.md)" >&2
