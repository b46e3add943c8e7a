#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh into DATABASE_URL's database (and MEDIA_DIR, when the dump has a
# media archive beside it and MEDIA_DIR is set), as root or as a user who can read the settings file. Stop both
# instances first:
#   systemctl stop patient-voice@web patient-voice@worker
# The database is created when it is missing (DATABASE_URL's user needs CREATEDB, or create it with
# deploy/create-database.sh first). A database that already has tables is left alone unless --replace is given,
# which drops and recreates its objects from the dump.
#   deploy/restore.sh [--replace] /var/backups/patient-voice/patient-voice-….dump
set -euo pipefail
replace=no
if [ "${1:-}" = "--replace" ]; then replace=yes; shift; fi
dump="${1:?usage: restore.sh [--replace] BACKUP.dump}"
# Settings: DATABASE_URL and MEDIA_DIR from the environment (the systemd unit passes them), else from the
# service's settings file (PV_ENV_FILE, default /etc/patient-voice/patient-voice.env), so root can run it by hand.
env_file="${PV_ENV_FILE:-/etc/patient-voice/patient-voice.env}"
if [ -z "${DATABASE_URL:-}" ] && [ -r "$env_file" ]; then
  DATABASE_URL="$(sed -n 's/^DATABASE_URL=//p' "$env_file" | tail -n 1)"
  MEDIA_DIR="${MEDIA_DIR:-$(sed -n 's/^MEDIA_DIR=//p' "$env_file" | tail -n 1)}"
fi
: "${DATABASE_URL:?DATABASE_URL is not set, nor in $env_file}"
[ -r "$dump" ] || { echo "restore.sh: cannot read $dump" >&2; exit 2; }
pg_url="postgresql://${DATABASE_URL#*://}"
# the same server's maintenance database, to create the target when it is missing
db="$(python3 -c 'import sys, urllib.parse as u; print(u.unquote(u.urlsplit(sys.argv[1]).path.lstrip("/")))' "$pg_url")"
admin_url="$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(p._replace(path="/postgres").geturl())' "$pg_url")"
exists="$(psql --no-psqlrc --tuples-only --no-align --dbname="$admin_url" --set=db="$db" \
  <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")"
if [ "$exists" != "1" ]; then
  psql --no-psqlrc --quiet --dbname="$admin_url" --set=ON_ERROR_STOP=1 --set=db="$db" \
    <<<'CREATE DATABASE :"db";' || {
    echo "restore.sh: create the database first: sudo -u postgres createdb -O <its user> $db" >&2; exit 4; }
  echo "restore.sh: created database $db" >&2
fi
tables="$(psql --no-psqlrc --tuples-only --no-align --dbname="$pg_url" \
  <<<"SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema');")"
if [ "$tables" != "0" ] && [ "$replace" != "yes" ]; then
  echo "restore.sh: database $db already has $tables tables; give --replace to overwrite them from $dump" >&2
  exit 3
fi
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$pg_url" "$dump"
media="${dump%.dump}.media.tar.gz"
if [ -n "${MEDIA_DIR:-}" ] && [ -r "$media" ]; then
  mkdir -p "$MEDIA_DIR"
  tar --extract --gzip --file="$media" --directory="$MEDIA_DIR"
fi
echo "restore.sh: restored $db from $dump" >&2
