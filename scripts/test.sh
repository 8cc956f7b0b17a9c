#!/usr/bin/env bash
# The whole suite: lint, then pytest against SQLite and the machine's PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
# Rasa's telemetry and its Sentry error reports would send data about conversations off the machine.
export RASA_TELEMETRY_ENABLED=false
# Local defaults for secrets exist only in development and tests (bot/deployment.py); the topology tests
# start their stack in production mode with secrets of their own.
export API_ENVIRONMENT=test
api_env=$(scripts/venv.sh api requirements/api.lock 3.11)
bot_env=$(scripts/venv.sh bot requirements/bot.lock 3.10)
scripts/services.sh
"$api_env/bin/ruff" check .
scripts/audit.sh  # known vulnerabilities in both lock files (where the advisories can be reached)
export INB_BOT_ENV="$bot_env"
# pytest exits 5 when it collects nothing; set -e turns that (and every failure) into a failed run.
"$api_env/bin/python" -m pytest "$@"
