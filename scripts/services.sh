#!/usr/bin/env bash
# Make sure the machine's PostgreSQL answers (start it if it is installed but stopped).
set -euo pipefail
pg_up() { pg_isready -q -h 127.0.0.1 -p "${PGPORT:-5432}" 2>/dev/null; }
if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    for v in $(ls /etc/postgresql 2>/dev/null); do
      pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    done
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
fi
pg_up || { echo "error: PostgreSQL is not reachable on 127.0.0.1:${PGPORT:-5432}; the suite tests it for real" >&2; exit 1; }
