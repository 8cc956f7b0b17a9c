#!/usr/bin/env bash
# Bring the assistant up on embedded defaults: SQLite under var/, migrated, with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
api_env=$(scripts/venv.sh api requirements/api.lock 3.11)
mkdir -p var
host=${API_HOST:-127.0.0.1} port=${API_PORT:-8000}
cd api
"$api_env/bin/alembic" upgrade head
"$api_env/bin/python" -m app.demo --if-empty
cat <<MSG

  API with demo data:   http://$host:$port/docs
  Staff login (demo):   consulent1@gooise-meren.example / demo-wachtwoord
  Service token (dev):  dev-service-token   (set API_SERVICE_TOKEN for anything real)

MSG
exec "$api_env/bin/uvicorn" app.main:app --host "$host" --port "$port" --no-access-log
