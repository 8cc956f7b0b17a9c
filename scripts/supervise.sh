# Sourced by run.sh and topology.sh. supervise NAME COMMAND...: keep a service running as a container's
# restart policy would (docker-compose.yml: restart: unless-stopped): when it stops on its own (a crash,
# kill -9, out of memory) it is started again a second later, so one part failing does not take the
# others down. A service that keeps stopping within seconds of its start (a port taken, a bad setting)
# is given up after five tries: the supervisor exits 1 and the script stops, as before, with the error.
# Its current pid is in $SUPERVISE_DIR/NAME.pid; COMMAND should exec the server, so that pid is the
# server's own. Run it in the background; TERM or INT stop it and its service.
supervise() {
  local name=$1 child rc started quick=0
  shift
  trap '[ -n "${child:-}" ] && kill "$child" 2>/dev/null; wait 2>/dev/null; exit 0' TERM INT
  while true; do
    started=$SECONDS
    "$@" &
    child=$!
    echo "$child" > "$SUPERVISE_DIR/$name.pid"
    wait "$child" && rc=0 || rc=$?
    if (( SECONDS - started < 10 )); then quick=$((quick + 1)); else quick=0; fi
    if (( quick >= 5 )); then
      echo "error: $name keeps stopping right after its start (exit $rc); giving up" >&2
      exit 1
    fi
    echo "$name stopped (exit $rc); starting it again" >&2
    sleep 1
  done
}
