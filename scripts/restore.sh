#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into a PostgreSQL database.
#
#   scripts/restore.sh DUMP_FILE TARGET_DATABASE_URL
#
# The target database must exist (createdb it first); objects already in it are dropped and
# recreated from the dump. Stops at the first error. Run `manage.py migrate` afterwards when the
# code is newer than the dump.
set -Eeuo pipefail

dump="${1:-}"
target="${2:-}"
if [ -z "$dump" ] || [ -z "$target" ]; then
  echo "usage: scripts/restore.sh DUMP_FILE TARGET_DATABASE_URL" >&2
  exit 2
fi
[ -f "$dump" ] || { echo "restore.sh: no such dump: $dump" >&2; exit 2; }
case "$target" in
  postgres://*|postgresql://*) ;;
  *) echo "restore.sh: the target must be a postgres:// URL" >&2; exit 2 ;;
esac
command -v pg_restore >/dev/null || { echo "restore.sh: pg_restore is missing (Debian: postgresql-client)" >&2; exit 2; }

pg_restore --clean --if-exists --no-owner --no-acl --exit-on-error --single-transaction \
  --dbname="$target" "$dump"
echo "restored $dump into the target database"
