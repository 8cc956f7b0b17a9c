#!/usr/bin/env bash
# The production topology, natively (no Docker): the API on PostgreSQL, the action server, several Rasa
# replicas sharing a PostgreSQL tracker store, a Redis lock store and an SQL event broker, behind nginx,
# which spreads WhatsApp webhooks over the replicas. Without Twilio credentials the local stand-in
# plays Twilio and posts its webhooks to nginx. Ctrl-C stops everything.
# It runs in production mode: only the signed WhatsApp webhook and the staff pages are reachable through
# nginx's public port; Rasa's HTTP API is on nginx's internal port; every service refuses weak secrets.
# Secrets not given in the environment are generated once per state dir (TOPO_RUN/secrets.env, mode 600).
#   TOPO_PORT (nginx public, 8080)  TOPO_INTERNAL_PORT (nginx internal, 8081)  RASA_PORTS ("5005 5006")
#   API_PORT ACTIONS_PORT STANDIN_PORT  TOPO_DB / RASA_TRACKER_DB / RASA_EVENTS_DB (PostgreSQL databases)
#   REDIS_DB  TOPO_RUN (state dir)
set -euo pipefail
cd "$(dirname "$0")/.."
# Rasa's telemetry and its Sentry error reports would send data about conversations off the machine.
export RASA_TELEMETRY_ENABLED=false
api_env=$(scripts/venv.sh api requirements/api.lock 3.11)
bot_env=$(scripts/venv.sh bot requirements/bot.lock 3.10)
model=$(scripts/train.sh)

host=127.0.0.1
topo_port=${TOPO_PORT:-8080} internal_port=${TOPO_INTERNAL_PORT:-8081} api_port=${API_PORT:-8000} actions_port=${ACTIONS_PORT:-5055}
standin_port=${STANDIN_PORT:-8090}
read -r -a rasa_ports <<< "${RASA_PORTS:-5005 5006}"
run_dir=${TOPO_RUN:-var/topology}
mkdir -p "$run_dir"
run_dir=$(cd "$run_dir" && pwd)

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export RASA_DB_HOST=$PGHOST RASA_DB_PORT=$PGPORT RASA_DB_USER=$PGUSER RASA_DB_PASSWORD=${PGPASSWORD:-}
export RASA_TRACKER_DB=${RASA_TRACKER_DB:-rasa_tracker} RASA_EVENTS_DB=${RASA_EVENTS_DB:-rasa_events}
export REDIS_HOST=${REDIS_HOST:-127.0.0.1} REDIS_PORT=${REDIS_PORT:-6379} REDIS_DB=${REDIS_DB:-0}
export REDIS_KEY_PREFIX=${REDIS_KEY_PREFIX:-inburgering}
topo_db=${TOPO_DB:-inburgering}
for db in "$topo_db" "$RASA_TRACKER_DB" "$RASA_EVENTS_DB"; do
  psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
    || psql -d postgres -qc "CREATE DATABASE \"$db\""
done
pg_url="postgresql+psycopg://$PGUSER${PGPASSWORD:+:$PGPASSWORD}@$PGHOST:$PGPORT"
export API_DATABASE_URL="$pg_url/$topo_db" API_EVENTS_DATABASE_URL="$pg_url/$RASA_EVENTS_DB"

export API_ENVIRONMENT=production
# Secrets: from the environment, else generated for this state dir (kept, so a restart keeps them).
if [ ! -f "$run_dir/secrets.env" ]; then
  ( umask 077; for name in API_SERVICE_TOKEN API_LOG_SALT RASA_AUTH_TOKEN STANDIN_AUTH_TOKEN; do
      echo "$name=$("$api_env/bin/python" -c 'import secrets; print(secrets.token_hex(32))')"; done ) \
    > "$run_dir/secrets.env"
fi
while IFS='=' read -r name value; do
  [ -n "${!name:-}" ] || export "$name=$value"
done < "$run_dir/secrets.env"
export API_REDIS_URL=${API_REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT/$REDIS_DB}
export API_PUBLIC_URL=${API_PUBLIC_URL:-http://$host:$topo_port}
export WHATSAPP_PUBLIC_URL=${WHATSAPP_PUBLIC_URL:-http://$host:$topo_port/webhooks/whatsapp/webhook}
export WHATSAPP_RECOVER_AFTER=${WHATSAPP_RECOVER_AFTER:-30}
source scripts/twilio-env.sh
export ACTIONS_API_URL=http://$host:$api_port RASA_ACTIONS_URL=http://$host:$actions_port/webhook
export RASA_NLG_URL=http://$host:$api_port/nlg
# Resuming a conversation goes through nginx's internal port to whichever replica answers.
export API_RASA_URL=http://$host:$internal_port API_RASA_TOKEN=$RASA_AUTH_TOKEN
export SQLALCHEMY_SILENCE_UBER_WARNING=1
# One JSON object per log line, naming the service (bot/logs.py); LOG_FORMAT=text for reading by eye.
export LOG_FORMAT=${LOG_FORMAT:-json}
# Deprecation notices of pinned libraries, printed at import, are not for operators.
export PYTHONWARNINGS=${PYTHONWARNINGS:-ignore::DeprecationWarning}

(cd api && export PYTHONPATH=.. && "$api_env/bin/alembic" upgrade head && "$api_env/bin/python" -m app.locales import \
  && "$api_env/bin/python" -m app.demo --if-empty)

upstreams=""
for port in "${rasa_ports[@]}"; do upstreams+="    server $host:$port max_fails=1 fail_timeout=5s;"$'\n'; done
mkdir -p "$run_dir/tmp"
cat > "$run_dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $run_dir/nginx.pid;
error_log $run_dir/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  server_tokens off;
  client_body_temp_path $run_dir/tmp/body; proxy_temp_path $run_dir/tmp/proxy;
  fastcgi_temp_path $run_dir/tmp/fastcgi; uwsgi_temp_path $run_dir/tmp/uwsgi; scgi_temp_path $run_dir/tmp/scgi;
  client_max_body_size 2m;
  upstream rasa {
$upstreams  }
  upstream api { server $host:$api_port; }
  # The same routes as docker-compose's proxy (deploy/nginx.conf): one place for what is public.
  server {
    listen $host:$topo_port;
    include $PWD/deploy/nginx-public.conf;
  }
  server {
    listen $host:$internal_port;
    include $PWD/deploy/nginx-internal.conf;
  }
}
CONF

# Every part is supervised (scripts/supervise.sh): one that crashes is started again, the rest carries on.
export SUPERVISE_DIR=$run_dir
source scripts/supervise.sh
# uvicorn takes the client address from X-Forwarded-For only from nginx (--forwarded-allow-ips).
start_api() {
  cd api && PYTHONPATH=.. LOG_SERVICE=api exec "$api_env/bin/uvicorn" app.main:app --host "$host" --port "$api_port" \
    --no-access-log --proxy-headers --forwarded-allow-ips "$host"
}
start_standin() {
  exec "$api_env/bin/uvicorn" tools.twilio_standin.app:app --host "$host" --port "$standin_port" --no-access-log \
    --log-level warning
}
start_actions() { LOG_SERVICE=actions exec "$bot_env/bin/python" -m actions.server --port "$actions_port" --interface "$host"; }
start_rasa() {
  LOG_SERVICE=rasa-$1 exec "$bot_env/bin/rasa" run --model "$model" --endpoints bot/endpoints.production.yml \
    --credentials bot/credentials.production.yml --port "$1" --interface "$host" --enable-api \
    --auth-token "$RASA_AUTH_TOKEN" --quiet
}
start_nginx() { exec /usr/sbin/nginx -c "$run_dir/nginx.conf" -p "$run_dir"; }
pids=() core=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
supervise api start_api &
pids+=($!) core+=($!)
if [ -n "$standin" ]; then
  supervise standin start_standin &
  pids+=($!)
fi
supervise actions start_actions &
pids+=($!) core+=($!)
for port in "${rasa_ports[@]}"; do
  supervise "rasa-$port" start_rasa "$port" &  # its pid in $run_dir/rasa-$port.pid
  pids+=($!) core+=($!)
done
supervise proxy start_nginx &
pids+=($!) core+=($!)

ready() {
  curl -sf "http://$host:$api_port/ready" >/dev/null && curl -sf "http://$host:$actions_port/health" >/dev/null \
    && curl -sf "http://$host:$topo_port/health" >/dev/null || return 1
  for port in "${rasa_ports[@]}"; do curl -sf "http://$host:$port/status?token=$RASA_AUTH_TOKEN" >/dev/null || return 1; done
}
for _ in $(seq 1 240); do ready && break; sleep 1; done
ready || { echo "error: the topology did not come up" >&2; exit 1; }
cat <<MSG

  The topology is up: ${#rasa_ports[@]} Rasa replicas (ports ${rasa_ports[*]}) behind nginx on $host:$topo_port
  (internal: $host:$internal_port), production mode, secrets in $run_dir/secrets.env unless given,
  PostgreSQL tracker store ($RASA_TRACKER_DB), Redis lock store (db $REDIS_DB), SQL event broker ($RASA_EVENTS_DB),
  API on PostgreSQL ($topo_db). WhatsApp webhook: $WHATSAPP_PUBLIC_URL

MSG
# A supervisor exits only when its part keeps failing at start: then everything stops, with the error.
wait -n "${core[@]}"
