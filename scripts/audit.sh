#!/usr/bin/env bash
# Known vulnerabilities in both environments: pip-audit over requirements/api.lock and bot.lock, failing on
# any known vulnerability that is not accepted in requirements/audit-accepted.txt (each with its reason,
# docs/security.md). pip-audit asks PyPI's per-release JSON API (or OSV) for the advisories; where neither
# is reachable (a registry mirror without that API) it says so and, unless AUDIT_REQUIRED=1, skips instead
# of passing silently: pip-audit itself would report such packages as "not found" and audit nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
env_dir=$(scripts/venv.sh audit requirements/audit.lock 3.11)
probe="https://pypi.org/pypi/pip/24.0/json"
if ! "$env_dir/bin/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=10)" \
    "$probe" >/dev/null 2>&1; then
  echo "audit: SKIPPED - PyPI's vulnerability data ($probe) is not reachable from this machine" >&2
  [ "${AUDIT_REQUIRED:-0}" = 1 ] && exit 1
  exit 0
fi
ignores=()
while read -r id _; do
  [ -n "$id" ] && [ "${id:0:1}" != "#" ] && ignores+=(--ignore-vuln "$id")
done < requirements/audit-accepted.txt
status=0
for lock in requirements/api.lock requirements/bot.lock; do
  echo "audit: $lock" >&2
  "$env_dir/bin/pip-audit" --requirement "$lock" --no-deps --disable-pip --strict --progress-spinner off \
    --vulnerability-service pypi "${ignores[@]}" || status=1
done
exit $status
