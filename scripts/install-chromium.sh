#!/usr/bin/env bash
# Installs Debian's headless-capable `chromium` for the report's browser test when it is missing.
# Never fails the caller: without a browser, that test skips with a message.
set -uo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; then
  exit 0
fi
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
if command -v apt-get >/dev/null 2>&1; then
  echo "reslab: installing chromium for the report's browser test" >&2
  { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null; } \
    || echo "reslab: could not install chromium; the browser test will skip" >&2
else
  echo "reslab: no apt-get; install chromium yourself to run the report's browser test" >&2
fi
exit 0
