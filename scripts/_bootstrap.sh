# Sourced by scripts/serve and scripts/test: make .venv and install the locked dependencies.
# Needs only Python 3.11+ with venv and pip. Re-installs when requirements.lock changes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Tutor needs Python 3.11 or newer as '$PY' (set PYTHON=/path/to/python3.11)." >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=".venv/.tutor-lock-$(cksum requirements.lock pyproject.toml | cksum | cut -d' ' -f1)"
if [ ! -e "$stamp" ]; then
  echo "Installing Tutor and its locked dependencies into .venv ..." >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  rm -f .venv/.tutor-lock-* && touch "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
