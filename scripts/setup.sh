#!/usr/bin/env bash
# Set up gxaudit on a fresh Debian/Ubuntu machine: system libraries Qt needs,
# a CJK font, a virtual environment in .venv and the project with its test and ocr extras.
# Idempotent: a second run only checks. Usage: bash scripts/setup.sh [--with-tools]
#   --with-tools  also install Xvfb, poppler-utils and LibreOffice (screenshots, fixtures),
#                 dpkg-dev, lintian and appstream (the .deb and its checks) and PyInstaller.
#                 The ocr extra (rapidocr + onnxruntime, for scanned PDFs) is always
#                 installed: seed 003 and many published reports are scans.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_BASE=(libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfreetype6 libfontconfig1 libdbus-1-3
          fonts-wqy-microhei
          libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
          libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0)
APT_TOOLS=(xvfb xauth poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui desktop-file-utils
           dpkg-dev lintian appstream shared-mime-info)

want=("${APT_BASE[@]}")
if [[ "${1:-}" == "--with-tools" ]]; then want+=("${APT_TOOLS[@]}"); fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if ((${#missing[@]})); then
  echo "gxaudit setup: installing system packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "gxaudit setup: creating .venv"
  "$PY" -m venv .venv
fi
extras="test,ocr"
if [[ "${1:-}" == "--with-tools" ]]; then extras="test,package,ocr"; fi
stamp=.venv/.gxaudit-installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp || "$(cat "$stamp")" != "$extras" ]]; then
  echo "gxaudit setup: installing the project into .venv (extras: $extras)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[$extras]"
  echo "$extras" > "$stamp"
fi
echo "gxaudit setup: ready (.venv/bin/gxaudit)"
