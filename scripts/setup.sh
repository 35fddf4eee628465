#!/usr/bin/env bash
# Installs the Debian packages earshot needs to build, run and test.
# Idempotent and non-interactive: only packages not yet installed are fetched.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config clang-format
  libsndfile1-dev libsoxr-dev libsodium-dev libsqlite3-dev sqlite3
  libcpp-httplib-dev libssl-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  flite1-dev flite sox bc
  libpocketsphinx-dev pocketsphinx-en-us pocketsphinx-testdata pocketsphinx libphonenumber-dev
  libqrencode-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} Debian packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
