#!/usr/bin/env bash
# Installs Slurm and munge from Debian packages when they are missing (Slurm 22.05 on Debian 12).
# Exit status: 0 installed or already there; 3 when they cannot be installed here (no apt-get,
# not root and no sudo, or apt-get failed), with the reason on stderr.
set -euo pipefail
packages=(munge slurmctld slurmd slurm-client)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "reslab slurm: ${missing[*]} missing and there is no apt-get to install them; install Slurm and munge with your package manager." >&2
  exit 3
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then sudo_cmd=(sudo -n); else
    echo "reslab slurm: ${missing[*]} missing and this user is neither root nor allowed to sudo without a password; run 'sudo $0' first." >&2
    exit 3
  fi
fi
echo "reslab slurm: installing ${missing[*]}" >&2
# Wait up to 5 minutes for another apt-get to release the dpkg lock instead of failing at once.
apt=("${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -qq)
if ! "${apt[@]}" install -y --no-install-recommends "${packages[@]}" >/dev/null; then
  "${apt[@]}" update >/dev/null 2>&1 || true
  if ! "${apt[@]}" install -y --no-install-recommends "${packages[@]}" >/dev/null; then
    echo "reslab slurm: apt-get could not install ${packages[*]}; see the messages above." >&2
    exit 3
  fi
fi
