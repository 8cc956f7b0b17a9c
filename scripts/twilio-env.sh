# Sourced by run.sh and topology.sh (after host, standin_port and WHATSAPP_PUBLIC_URL are set).
# No Twilio account: the local stand-in plays Twilio (same signed webhooks, same client code); sets standin=1.
standin=""
if [ -z "${TWILIO_ACCOUNT_SID:-}" ]; then
  standin=1
  # The stand-in's auth token signs its webhooks; topology.sh (production mode) gives it a random one.
  export TWILIO_ACCOUNT_SID=ACdemo0000000000000000000000000000
  export TWILIO_AUTH_TOKEN=${STANDIN_AUTH_TOKEN:-demo-twilio-auth-token}
  export TWILIO_WHATSAPP_FROM=whatsapp:+3197010000000 API_TWILIO_API_BASE=http://$host:$standin_port
  export STANDIN_ACCOUNT_SID=$TWILIO_ACCOUNT_SID STANDIN_AUTH_TOKEN=$TWILIO_AUTH_TOKEN
  export STANDIN_WHATSAPP_FROM=$TWILIO_WHATSAPP_FROM STANDIN_WEBHOOK_URL=$WHATSAPP_PUBLIC_URL
fi
export API_TWILIO_ACCOUNT_SID=$TWILIO_ACCOUNT_SID API_TWILIO_AUTH_TOKEN=$TWILIO_AUTH_TOKEN
export API_TWILIO_WHATSAPP_FROM=${TWILIO_WHATSAPP_FROM:?set TWILIO_WHATSAPP_FROM with TWILIO_ACCOUNT_SID}
