#!/usr/bin/env bash
# What the suite needs from the machine: PostgreSQL and Redis answering (PostgreSQL started if installed
# but stopped), and Debian's packages for the browser tests (chromium), the replica topology (nginx) and
# the compose-file check (docker-compose); installed when missing (needs root and Debian's apt).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's ${missing[*]} for the tests ..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >&2
    # Debian starts the packaged nginx on port 80; the topology runs its own instance.
    if [ -x /usr/sbin/nginx ]; then /usr/sbin/nginx -s stop >/dev/null 2>&1 || true; fi
  else
    echo "error: missing Debian packages: ${missing[*]} (browser tests, replica topology, compose check)" >&2
    exit 1
  fi
fi
redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || { echo "error: Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
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
