#!/usr/bin/env bash
# Re-pin an environment: install requirements/NAME.in into a scratch venv and freeze it.
set -euo pipefail
name=$1 pyver=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=$(command -v "python$pyver" || ls "$HOME"/.pyenv/versions/"$pyver".*/bin/python | head -n1)
"$py" -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet -r "requirements/$name.in"
{ echo "# $name environment (Python $pyver), pinned by scripts/lock.sh from requirements/$name.in"
  "$tmp/venv/bin/pip" freeze | grep -v '^-e' | sort; } > "requirements/$name.lock"
echo "wrote requirements/$name.lock"
