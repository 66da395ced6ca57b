# Sourced by scripts/test (or run directly): installs the command-line tools the
# infrastructure tests drive. They pin versions that clash with the project's own
# environment (checkov pins boto3, packaging, ...), so each lives in its own place
# under .tools/ (gitignored):
#   .tools/checkov-venv/   checkov, in a virtual environment of its own
#   .tools/node/           osls (open-source Serverless Framework), from scripts/tools/package-lock.json
# and Debian's `chromium` (system-wide, with apt-get, as root or with passwordless sudo) for
# the review page's browser test; where apt cannot be used it says so and that test skips.
# Idempotent: a stamp file records what was installed; a second run does nothing
# (well under a second) unless a pin changed. Needs python3 (>= 3.10) and Node.js >= 20.19 with npm.
# Exports CHECKOV_BIN and OSLS_BIN for tests/infra, CHROMIUM_BIN for tests/browser.

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

  _chromium_install

  export CHECKOV_BIN="$tools/checkov-venv/bin/checkov"
  export OSLS_BIN="$tools/node/node_modules/.bin/osls"
}

# The first Chromium on PATH: Debian's name, then Ubuntu's/Fedora's and Google's builds
# (the same list as tests/browser/cdp.py BROWSER_NAMES).
_chromium_found() {
  local name
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$name" 2>/dev/null && return 0
  done
  return 0
}

# Debian's chromium, when missing and apt-get is usable: as root, or through `sudo -n`
# (never a password prompt). A failure is reported, never fatal: the browser test skips
# with the reason outside CI and fails in CI (CI=true), so CI cannot pass without it.
_chromium_install() {
  local run=()
  [ -n "$(_chromium_found)" ] && return 0
  command -v apt-get >/dev/null 2>&1 || {
    echo "install-tools: chromium missing and no apt-get here: the browser test will skip" >&2
    return 0
  }
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      run=(sudo -n)
    else
      echo "install-tools: chromium missing; apt-get needs root (or sudo -n): the browser test will skip" >&2
      return 0
    fi
  fi
  echo "install-tools: chromium (apt-get)" >&2
  if ! { "${run[@]}" apt-get update -qq >/dev/null \
    && "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends chromium >/dev/null; }; then
    echo "install-tools: apt-get could not install chromium: the browser test will skip" >&2
  fi
}

_tools_install
CHROMIUM_BIN="$(_chromium_found)"
unset -f _tools_install _chromium_install _chromium_found
export CHROMIUM_BIN
