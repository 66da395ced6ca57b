#!/usr/bin/env bash
# What bench/local_engine.py compares the offline engine with: PassportEye (the `bench`
# extra, which also brings OpenVINO) and the tesseract binary it drives (Debian's
# `tesseract-ocr`, with apt-get as root or through `sudo -n`, never a password prompt).
# The tests need neither; without them the bench prints "PassportEye unavailable".
#     scripts/install-bench.sh            # into .venv (PYTHON=... for another interpreter)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"

echo "install-bench: the bench extra (PassportEye, OpenVINO) -> $python" >&2
"$python" -m pip install --quiet --disable-pip-version-check --no-input -e "$root[bench]"

if command -v tesseract >/dev/null 2>&1; then
  exit 0
fi
run=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    run=(sudo -n)
  else
    echo "install-bench: tesseract missing; apt-get needs root (or sudo -n): install" \
      "tesseract-ocr yourself, or the bench leaves PassportEye out" >&2
    exit 1
  fi
fi
echo "install-bench: tesseract-ocr (apt-get)" >&2
"${run[@]}" apt-get update -qq >/dev/null
"${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends tesseract-ocr >/dev/null
tesseract --version | head -1
