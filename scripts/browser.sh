#!/usr/bin/env bash
# Headless Chromium for the browser tests: installed from Debian's packages when missing.
set -euo pipefail
case "${1:-}" in
  ensure)
    if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; then
      exit 0
    fi
    echo "browser: installing chromium (apt)" >&2
    if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update -qq >&2 || true
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 ;;
  *) echo "usage: $0 ensure" >&2; exit 2 ;;
esac
