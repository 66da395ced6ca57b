# Sourced by scripts/test (or run directly): installs the command-line tools the
# infrastructure tests drive. They pin versions that clash with the project's own
# environment (checkov pins boto3, packaging, ...), so each lives in its own place
# under .tools/ (gitignored):
#   .tools/checkov-venv/   checkov, in a virtual environment of its own
#   .tools/node/           osls (open-source Serverless Framework), from scripts/tools/package-lock.json
# Idempotent: a stamp file records what was installed; a second run does nothing
# (well under a second) unless a pin changed. Needs python3 (>= 3.10) and Node.js >= 20.19 with npm.
# Exports CHECKOV_BIN and OSLS_BIN for tests/infra.

_tools_install() {
  local root tools python checkov_pin stamp npm_stamp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  tools="$root/.tools"
  python="${TOOLS_PYTHON:-${PYTHON:-python3}}"
  checkov_pin="$root/scripts/tools/checkov-requirements.txt"
  mkdir -p "$tools"

  # --- checkov: its own venv, every transitive version pinned --------------------------
  stamp="$(sha256sum "$checkov_pin" | cut -d' ' -f1)"
  if [ ! -x "$tools/checkov-venv/bin/checkov" ] \
    || [ "$(cat "$tools/checkov-venv/.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "install-tools: checkov -> .tools/checkov-venv" >&2
    rm -rf "$tools/checkov-venv"
    "$python" -m venv "$tools/checkov-venv"
    "$tools/checkov-venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      --no-input -r "$checkov_pin"
    echo "$stamp" >"$tools/checkov-venv/.stamp"
  fi

  # --- osls: npm ci from the committed lockfile, into .tools/node ------------------------
  npm_stamp="$(cat "$root/scripts/tools/package.json" "$root/scripts/tools/package-lock.json" \
    | sha256sum | cut -d' ' -f1)"
  if [ ! -x "$tools/node/node_modules/.bin/osls" ] \
    || [ "$(cat "$tools/node/.stamp" 2>/dev/null)" != "$npm_stamp" ]; then
    echo "install-tools: osls -> .tools/node" >&2
    rm -rf "$tools/node"
    mkdir -p "$tools/node"
    cp "$root/scripts/tools/package.json" "$root/scripts/tools/package-lock.json" "$tools/node/"
    (cd "$tools/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$npm_stamp" >"$tools/node/.stamp"
  fi

  export CHECKOV_BIN="$tools/checkov-venv/bin/checkov"
  export OSLS_BIN="$tools/node/node_modules/.bin/osls"
}

_tools_install
unset -f _tools_install
