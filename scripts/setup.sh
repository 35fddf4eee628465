#!/usr/bin/env bash
# Installs what earshot needs to build, run and test: Debian packages (only
# those not yet installed are fetched), then the npm packages of
# package-lock.json (the charting library bundled into the web pages, and
# playwright-core for the browser tests) when node_modules is not current.
# Idempotent and non-interactive.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config clang-format
  libsndfile1-dev libsoxr-dev libsodium-dev libsqlite3-dev sqlite3
  libmicrohttpd-dev libcpp-httplib-dev libssl-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  flite1-dev flite sox bc
  # MP3 and Opus encoders for the audio fuzzer's seeds (scripts/fuzz_seeds.sh).
  lame opus-tools
  # A second synthesizer whose voices are held out of every de-identification
  # choice (bench/deid_audio_eval --set heldout).
  espeak-ng
  # libFuzzer and the sanitizer runtimes, llvm-symbolizer for their reports.
  clang-14 libclang-rt-14-dev llvm-14
  libpocketsphinx-dev pocketsphinx-en-us pocketsphinx-testdata pocketsphinx libphonenumber-dev
  libqrencode-dev libarchive-dev
  # The PostgreSQL backend's client library, and the server the postgres
  # test label starts a throw-away cluster of (scripts/with_postgres.sh).
  libpq-dev postgresql-15
  # The Debian package: man pages made from the CLI's --help, and file(1),
  # which CPack's dependency scan needs.
  help2man file
  # Tests: the demo's printed curl lines and HTTPS, with a certificate made
  # by openssl at test time (a minimal Debian 12 has neither tool).
  curl openssl
  chromium fonts-dejavu-core
)
# Node.js and npm from Debian unless the machine already has them.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} Debian packages present"
else
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || true
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# playwright-core (the browser tests) and node's test runner need Node.js 18
# or newer: Debian 12's own nodejs (18.19) is enough. playwright-core stays
# at 1.61, the last release whose engines accept Node.js 18.
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "setup: Node.js $(node --version) is too old for playwright-core; install Node.js 18 or newer" >&2
  exit 1
fi

# npm packages: installed exactly as locked, and only when the lock changed.
if [ -f node_modules/.earshot-lock ] && cmp -s package-lock.json node_modules/.earshot-lock; then
  echo "setup: npm packages current"
else
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.earshot-lock
fi
