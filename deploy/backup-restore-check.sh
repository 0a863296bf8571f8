#!/usr/bin/env bash
# Back up a SafeSpace PostgreSQL database with pg_dump, restore it into a scratch
# database, and compare every table's row count and a checksum of its rows. Exits non-zero
# if anything differs. Usage: deploy/backup-restore-check.sh postgres://user@host:5432/db
# Run it after setting up backups, and now and then: a backup never restored is a hope.
set -euo pipefail
SOURCE="${1:?give the database URL}"
SCRATCH_NAME="safespace_restore_check_$$"
BASE="${SOURCE%/*}"
SCRATCH="$BASE/$SCRATCH_NAME"
DUMP="$(mktemp -d)/safespace.dump"

cleanup() { psql "$BASE/postgres" -qc "DROP DATABASE IF EXISTS $SCRATCH_NAME" >/dev/null 2>&1 || true; rm -rf "$(dirname "$DUMP")"; }
trap cleanup EXIT

pg_dump --format=custom --no-owner --file="$DUMP" "$SOURCE"
psql "$BASE/postgres" -qc "CREATE DATABASE $SCRATCH_NAME" >/dev/null
pg_restore --no-owner --dbname="$SCRATCH" "$DUMP"

# One line per table: name, row count, md5 of its rows in a fixed order.
fingerprint() {
  psql "$1" -Atc "
    SELECT string_agg(format('SELECT %L, count(*), md5(coalesce(string_agg(t::text, ''|'' ORDER BY t::text), '''')) FROM %I t', tablename, tablename), ' UNION ALL ' ORDER BY tablename)
    FROM pg_tables WHERE schemaname = 'public'" | psql "$1" -At
}

if diff <(fingerprint "$SOURCE" | sort) <(fingerprint "$SCRATCH" | sort); then
  echo "Backup restored: $(fingerprint "$SCRATCH" | wc -l) tables, every row count and checksum the same."
else
  echo "The restored database differs from the original (above)." >&2
  exit 1
fi
