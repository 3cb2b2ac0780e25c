#!/usr/bin/env bash
# Installs what reslab needs on Debian/Ubuntu when it is missing: the PNG and JPEG libraries
# (with headers and pkg-config) that the build links. Swift itself must already be on PATH.
set -euo pipefail
missing=()
for package in libpng-dev libjpeg-dev pkg-config; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "reslab: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "reslab: no 'swift' on PATH. Install Swift 6 from swift.org, then run this again." >&2
  exit 1
fi
