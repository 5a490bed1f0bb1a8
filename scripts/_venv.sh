# Sourced by the scripts in this folder: create or reuse .venv at the repository root and
# (re)install the project with its dev extra whenever pyproject.toml changed since the last
# install. Needs only python3 (3.11 or newer) on PATH. Sets $root and puts .venv/bin first on PATH.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "firecrawl-status needs Python 3.11 or newer as python3 (found $(python3 -V 2>&1))." >&2
    exit 2
  }
  echo "Creating $venv ..." >&2
  python3 -m venv "$venv"
fi
stamp="$venv/.installed-pyproject"
want=$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing firecrawl-status and its dev tools into .venv ..." >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$root[dev]"
  echo "$want" >"$stamp"
fi
export PATH="$venv/bin:$PATH"
