#!/usr/bin/env bash
# Backs up one Patient Voice installation: the database (pg_dump, custom format) and MEDIA_DIR (the photos and
# files patients sent, and drawn charts) into BACKUP_DIR, then removes backups older than KEEP_DAYS.
# Reads DATABASE_URL and MEDIA_DIR as the service does (patient-voice-backup.service passes
# /etc/patient-voice/patient-voice.env). Prints the dump's path. Restore with deploy/restore.sh.
#   DATABASE_URL=postgresql+asyncpg://… BACKUP_DIR=/var/backups/patient-voice deploy/backup.sh
set -euo pipefail
# Settings: DATABASE_URL and MEDIA_DIR from the environment (the systemd unit passes them), else from the
# service's settings file (PV_ENV_FILE, default /etc/patient-voice/patient-voice.env), so root can run it by hand.
env_file="${PV_ENV_FILE:-/etc/patient-voice/patient-voice.env}"
if [ -z "${DATABASE_URL:-}" ] && [ -r "$env_file" ]; then
  DATABASE_URL="$(sed -n 's/^DATABASE_URL=//p' "$env_file" | tail -n 1)"
  MEDIA_DIR="${MEDIA_DIR:-$(sed -n 's/^MEDIA_DIR=//p' "$env_file" | tail -n 1)}"
fi
: "${DATABASE_URL:?DATABASE_URL is not set, nor in $env_file}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/patient-voice}"
KEEP_DAYS="${KEEP_DAYS:-14}"
case "$DATABASE_URL" in
  postgresql*) ;;
  *) echo "backup.sh: DATABASE_URL is not PostgreSQL; this script backs up PostgreSQL only" >&2; exit 2 ;;
esac
# libpq takes the service's URL without SQLAlchemy's driver name (postgresql+asyncpg:// → postgresql://)
pg_url="postgresql://${DATABASE_URL#*://}"
umask 077
mkdir -p "$BACKUP_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dump="$BACKUP_DIR/patient-voice-$stamp.dump"
# written under a temporary name first: a half-written dump never looks like a backup
pg_dump --format=custom --no-owner --no-privileges --file="$dump.partial" "$pg_url"
pg_restore --list "$dump.partial" >/dev/null  # readable by the tool that will restore it
mv "$dump.partial" "$dump"
if [ -n "${MEDIA_DIR:-}" ] && [ -d "$MEDIA_DIR" ]; then
  tar --create --gzip --file="$BACKUP_DIR/patient-voice-$stamp.media.tar.gz.partial" \
      --directory="$MEDIA_DIR" .
  mv "$BACKUP_DIR/patient-voice-$stamp.media.tar.gz.partial" "$BACKUP_DIR/patient-voice-$stamp.media.tar.gz"
fi
find "$BACKUP_DIR" -maxdepth 1 -name 'patient-voice-*' -mtime +"$KEEP_DAYS" -delete
echo "$dump"
