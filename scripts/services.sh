#!/usr/bin/env bash
# What the suite needs from the machine: PostgreSQL answering (started if installed but stopped) and
# Debian's Chromium for the browser tests (installed when missing; needs root and Debian's apt).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests ..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  else
    echo "error: /usr/bin/chromium is missing; install Debian's chromium package (browser tests)" >&2
    exit 1
  fi
fi
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
