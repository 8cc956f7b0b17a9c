#!/usr/bin/env bash
# Print the path of a virtualenv for a lock file, creating it on first use.
# The env lives outside the clone, keyed by the lock file's hash and the Python version, so a fresh
# clone with an unchanged lock reuses it and a changed lock gets a new one.
# Usage: scripts/venv.sh NAME LOCKFILE PYTHON_SPEC   (PYTHON_SPEC: 3.10 or 3.11)
set -euo pipefail
name=$1 lock=$2 want=$3
cache=${INB_CACHE:-$HOME/.cache/inburgering}

find_python() {
  local v=$1 c
  for c in "python$v" "$HOME"/.pyenv/versions/"$v".*/bin/python /usr/bin/python"$v" /usr/local/bin/python"$v"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys' >/dev/null 2>&1; then
      command -v "$c"; return 0
    fi
  done
  return 1
}

py=$(find_python "$want") || {
  echo "error: Python $want is needed for the $name environment but was not found" >&2
  echo "       (looked for python$want on PATH and in ~/.pyenv/versions/$want.*)." >&2
  echo "       Install it, e.g. 'pyenv install $want', and run the command again." >&2
  exit 1
}
pyver=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
hash=$( { cat "$lock"; echo "$pyver"; } | sha256sum | cut -c1-12)
dir="$cache/venvs/$name-$hash"
if [ ! -f "$dir/.complete" ]; then
  echo "setting up the $name environment in $dir (Python $pyver) ..." >&2
  rm -rf "$dir"
  "$py" -m venv "$dir"
  "$dir/bin/pip" install --quiet --no-deps -r "$lock" >&2
  "$dir/bin/pip" check >&2 || { echo "error: the $name lock file is inconsistent" >&2; exit 1; }
  touch "$dir/.complete"
fi
echo "$dir"
