# Sourced by the scripts in this folder: create or reuse .venv at the repository root and
# (re)install the project whenever pyproject.toml changed since the last install of that kind.
# Needs only python3 (3.11 or newer) on PATH. Sets $root and puts .venv/bin first on PATH.
#
# By default the project goes in with its dev extra (every tool the checks use). A script that
# needs only the package (scripts/demo) sets `venv_extras=` (empty) before sourcing this file:
# it then installs the runtime dependencies alone, under a stamp of its own, so a later
# scripts/test still installs the full toolchain into the same .venv.
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
venv_extras=${venv_extras-dev}
want=$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)
dev_stamp="$venv/.installed-pyproject-dev"
runtime_stamp="$venv/.installed-pyproject-runtime"
if [ -n "$venv_extras" ]; then
  if [ "$(cat "$dev_stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing firecrawl-status and its dev tools into .venv ..." >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$root[$venv_extras]"
    echo "$want" >"$dev_stamp"
    echo "$want" >"$runtime_stamp" # the dev install holds the runtime one
  fi
elif [ "$(cat "$runtime_stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing firecrawl-status into .venv ..." >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$root"
  echo "$want" >"$runtime_stamp"
fi
export PATH="$venv/bin:$PATH"
