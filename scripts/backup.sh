#!/usr/bin/env bash
# Back up the platform: the PostgreSQL database in pg_dump's custom format (compressed, restorable table
# by table) and, with --files, the uploads (public media and private CVs) as a tarball beside it.
#
#   scripts/backup.sh [--files] [OUTPUT_DIR]      # DATABASE_URL from the environment or .env
#
# Prints the path of each file written. Restore with scripts/restore.sh.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

with_files=""
if [ "${1:-}" = "--files" ]; then with_files=1; shift; fi
out_dir="${1:-${BACKUP_DIR:-var/backups}}"

if [ -z "${DATABASE_URL:-}" ] && [ -f .env ]; then
  DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' .env | tail -1)
fi
case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL must point at PostgreSQL (postgres://…)" >&2; exit 2 ;;
esac
command -v pg_dump >/dev/null || { echo "backup.sh: pg_dump is missing (Debian: postgresql-client)" >&2; exit 2; }

mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dump="$out_dir/tescforce-$stamp.dump"
# Custom format: compressed, and pg_restore can pick tables or run in parallel. No owner or grants, so
# the dump restores under whichever role runs the restore.
pg_dump --format=custom --no-owner --no-acl --file="$dump.partial" "$DATABASE_URL"
mv "$dump.partial" "$dump"
echo "$dump"

if [ -n "$with_files" ]; then
  media="${MEDIA_ROOT:-var/media}"
  private="${PRIVATE_MEDIA_ROOT:-var/private}"
  archive="$out_dir/tescforce-files-$stamp.tar.gz"
  dirs=()
  for d in "$media" "$private"; do [ -d "$d" ] && dirs+=("$d"); done
  if [ ${#dirs[@]} -gt 0 ]; then
    tar -czf "$archive" "${dirs[@]}"
    echo "$archive"
  fi
fi
