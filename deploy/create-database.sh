#!/usr/bin/env bash
# Creates the service's PostgreSQL role and database (run as the postgres superuser, once):
#   sudo -u postgres deploy/create-database.sh [NAME]
# NAME (default patient_voice) names both. The role gets a random password and owns the database; the last line
# printed is the DATABASE_URL for /etc/patient-voice/patient-voice.env. PGHOST/PGPORT/PGUSER pick the server
# as for psql (default: the local socket). The schema itself is made by `python -m bot db upgrade`.
set -euo pipefail
name="${1:-patient_voice}"
[[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "create-database.sh: NAME must be lower-case letters, digits, _" >&2; exit 2; }
password="$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --set=name="$name" --set=password="$password" --dbname=postgres <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
SQL
echo "created role and database $name" >&2
echo "DATABASE_URL=postgresql+asyncpg://$name:$password@${PGHOST:-127.0.0.1}:${PGPORT:-5432}/$name"
