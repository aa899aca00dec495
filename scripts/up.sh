#!/usr/bin/env bash
# `make up`: the full stack on this machine — PostgreSQL and Redis (started when installed but not
# running), migrations, the demo data once, then web (gunicorn), worker and beat together (honcho reads
# the Procfile). Ctrl-C stops the three processes.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tescforce}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export PORT="${PORT:-8000}"
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
PY=.venv/bin/python
# The Procfile names gunicorn, celery and python: the virtualenv's.
export PATH="$PWD/.venv/bin:$PATH"

pg_host=$($PY -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(p.hostname or "127.0.0.1", p.port or 5432, p.path.lstrip("/"))' "$DATABASE_URL")
read -r host port dbname <<<"$pg_host"

if ! pg_isready -q -h "$host" -p "$port" 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | sort -V | tail -1)
    echo "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || sudo pg_ctlcluster "$version" main start
  else
    echo "PostgreSQL does not answer on $host:$port and is not installed here (apt-get install postgresql)" >&2
    exit 1
  fi
fi
if ! redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    echo "starting Redis on 127.0.0.1:6379"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no
  else
    echo "Redis does not answer at $REDIS_URL and is not installed here (apt-get install redis-server)" >&2
    exit 1
  fi
fi
for _ in $(seq 1 30); do
  pg_isready -q -h "$host" -p "$port" && redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1 && break
  sleep 1
done

# The database itself, once.
admin_url="${DATABASE_URL%/*}/postgres"
if ! psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$dbname'" | grep -q 1; then
  psql "$admin_url" -qc "CREATE DATABASE \"$dbname\""
fi

$PY manage.py migrate --noinput
mkdir -p var
stamp="var/.demo-seeded-$dbname"
if [ ! -f "$stamp" ]; then $PY manage.py seed_demo && touch "$stamp"; fi

echo "web on http://127.0.0.1:$PORT/ with a Celery worker and beat (Ctrl-C stops all three)"
exec .venv/bin/honcho --procfile Procfile start --port "$PORT" web worker beat
