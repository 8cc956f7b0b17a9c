#!/usr/bin/env bash
# Bring the whole assistant up on embedded defaults: the API on SQLite with demo data, the action
# server, and Rasa with a trained model. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
# Rasa's telemetry and its Sentry error reports would send data about conversations off the machine.
export RASA_TELEMETRY_ENABLED=false
# The embedded demo: local default secrets, the unsigned REST channel. Never production (scripts/topology.sh
# and docker-compose.yml are), and never on an address other machines reach.
export API_ENVIRONMENT=${API_ENVIRONMENT:-development}
case "$API_ENVIRONMENT" in development|test) ;; *)
  echo "error: make run is the embedded demo (API_ENVIRONMENT=development); for production use" \
       "scripts/topology.sh or docker-compose.yml" >&2; exit 1 ;;
esac
case "${API_HOST:-127.0.0.1}" in 127.*|localhost|::1) ;; *)
  echo "error: API_HOST=$API_HOST: the embedded demo has an unsigned REST channel and serves only loopback" >&2
  exit 1 ;;
esac
api_env=$(scripts/venv.sh api requirements/api.lock 3.11)
bot_env=$(scripts/venv.sh bot requirements/bot.lock 3.10)
model=$(scripts/train.sh)

host=${API_HOST:-127.0.0.1}
api_port=${API_PORT:-8000} actions_port=${ACTIONS_PORT:-5055} rasa_port=${RASA_PORT:-5005}
standin_port=${STANDIN_PORT:-8090}
export API_SERVICE_TOKEN=${API_SERVICE_TOKEN:-dev-service-token}
export API_LOG_SALT=${API_LOG_SALT:-dev-log-salt}
export API_PUBLIC_URL=${API_PUBLIC_URL:-http://$host:$api_port}
export WHATSAPP_PUBLIC_URL=${WHATSAPP_PUBLIC_URL:-http://$host:$rasa_port/webhooks/whatsapp/webhook}
export WHATSAPP_RECOVER_AFTER=${WHATSAPP_RECOVER_AFTER:-60}
source scripts/twilio-env.sh
export ACTIONS_API_URL=${ACTIONS_API_URL:-http://$host:$api_port}
export RASA_ACTIONS_URL=${RASA_ACTIONS_URL:-http://$host:$actions_port/webhook}
export RASA_NLG_URL=${RASA_NLG_URL:-http://$host:$api_port/nlg}
export RASA_AUTH_TOKEN=${RASA_AUTH_TOKEN:-dev-rasa-token}
# The API resumes the assistant through Rasa's HTTP API when a consultant closes a hand-off.
export API_RASA_URL=${API_RASA_URL:-http://$host:$rasa_port} API_RASA_TOKEN=${API_RASA_TOKEN:-$RASA_AUTH_TOKEN}
export SQLALCHEMY_SILENCE_UBER_WARNING=1
# Rasa's event broker writes conversation events to this SQLite file; the API reads them there.
export RASA_EVENTS_DB_FILE=${RASA_EVENTS_DB_FILE:-$PWD/var/rasa-events.db}
# Rasa keeps the conversations here (bot/endpoints.yml): they survive a restart.
export RASA_TRACKER_DB_FILE=${RASA_TRACKER_DB_FILE:-$PWD/var/rasa-tracker.db}
export API_EVENTS_DATABASE_URL=${API_EVENTS_DATABASE_URL:-sqlite:///$RASA_EVENTS_DB_FILE}
mkdir -p var

(cd api && export PYTHONPATH=.. && "$api_env/bin/alembic" upgrade head && "$api_env/bin/python" -m app.locales import \
  && "$api_env/bin/python" -m app.demo --if-empty)

# Every part is supervised (scripts/supervise.sh): one that crashes is started again, the rest carries on.
export SUPERVISE_DIR=${RUN_DIR:-$PWD/var/run}
mkdir -p "$SUPERVISE_DIR"
source scripts/supervise.sh
start_api() { cd api && PYTHONPATH=.. exec "$api_env/bin/uvicorn" app.main:app --host "$host" --port "$api_port" --no-access-log; }
start_standin() {
  exec "$api_env/bin/uvicorn" tools.twilio_standin.app:app --host "$host" --port "$standin_port" --no-access-log \
    --log-level warning
}
start_actions() { exec "$bot_env/bin/python" -m actions.server --port "$actions_port" --interface "$host"; }
start_rasa() {
  exec "$bot_env/bin/rasa" run --model "$model" --endpoints bot/endpoints.yml --credentials bot/credentials.yml \
    --port "$rasa_port" --interface "$host" --enable-api --auth-token "$RASA_AUTH_TOKEN" --quiet
}
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
supervise api start_api &
pids+=($!)
if [ -n "$standin" ]; then
  supervise standin start_standin &
  pids+=($!)
fi
supervise actions start_actions &
pids+=($!)
supervise rasa start_rasa &
pids+=($!)

for _ in $(seq 1 180); do
  if curl -sf "http://$host:$rasa_port/status?token=$RASA_AUTH_TOKEN" >/dev/null 2>&1 \
     && curl -sf "http://$host:$actions_port/health" >/dev/null 2>&1 \
     && curl -sf "http://$host:$api_port/ready" >/dev/null 2>&1; then
    break
  fi
  sleep 1
done
phone_page="(real Twilio configured)"
[ -n "$standin" ] && phone_page="http://$host:$standin_port/phone"
cat <<MSG

  The assistant is up (embedded defaults: SQLite, demo data).
  API and its docs:     http://$host:$api_port/docs
  Rasa (REST channel):  http://$host:$rasa_port/webhooks/rest/webhook
  WhatsApp webhook:     $WHATSAPP_PUBLIC_URL
  Local phone (demo):   $phone_page
  Consultant inbox:     http://$host:$api_port/inbox   (consulent1@gooise-meren.example / demo-wachtwoord)
  Statistics:           http://$host:$api_port/stats
  Translation review:   http://$host:$api_port/review  (vertaler@gooise-meren.example / demo-wachtwoord)
  Talk to it:           curl -s http://$host:$rasa_port/webhooks/rest/webhook \\
                          -d '{"sender": "+31610000002", "message": "مرحبا"}'

MSG
wait -n "${pids[@]}"
