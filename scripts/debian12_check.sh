#!/usr/bin/env bash
# Proves the README's two commands on a pure Debian 12 (bookworm) with only
# Debian's own packages (its nodejs is 18): debootstraps a scratch root, copies
# this checkout and ../shared into it, and runs inside it with chroot
#   ./scripts/test.sh   (EARSHOT_SLOW_SUITES=0 unless set: the suite with its
#                        browser tests; the sanitizer and fuzz suites need no
#                        Node.js and take another half hour)
#   the demo (scripts/demo.sh's build) until it serves /healthz.
# Not part of CI. Needs root, debootstrap, and a Debian mirror and the npm
# registry reachable. Usage: scripts/debian12_check.sh [ROOT_DIR]
# (default /var/tmp/earshot-bookworm, reused by a second run). The log of the
# last run is ROOT_DIR.log.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:-/var/tmp/earshot-bookworm}
mirror=${EARSHOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" = 0 ] || { echo "debian12_check: run as root (debootstrap, chroot, mount)" >&2; exit 1; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap

if [ ! -x "$root/usr/bin/apt-get" ]; then
  echo "debian12_check: debootstrap bookworm into $root"
  debootstrap --variant=minbase bookworm "$root" "$mirror"
fi
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
# Certificate authorities this host added (a TLS-inspecting egress proxy, say)
# are trusted inside too: Debian's ca-certificates adds them when setup.sh
# installs it, and npm reads the system bundle (NODE_EXTRA_CA_CERTS below).
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi

mounts=(proc sys dev dev/pts)
cleanup() {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "$root/${mounts[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t devpts devpts "$root/dev/pts" 2>/dev/null || true

# The committed tree (no build outputs, no node_modules) and the shared data.
rm -rf "$root/src" && mkdir -p "$root/src/earshot"
git archive HEAD | tar -x -C "$root/src/earshot"
cp -a ../shared "$root/src/shared"

chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
  EARSHOT_SLOW_SUITES="${EARSHOT_SLOW_SUITES:-0}" /bin/bash -euo pipefail -c '
  cd /src/earshot
  apt-get update -qq
  if command -v update-ca-certificates >/dev/null; then update-ca-certificates >/dev/null; fi
  echo "debian12_check: node from Debian? $(command -v node || echo "not yet installed")"
  ./scripts/test.sh
  echo "debian12_check: node $(node --version), npm $(npm --version)"
  build/bin/earshot demo --data /tmp/demo --listen 127.0.0.1:18080 >/tmp/demo-guide.txt 2>/tmp/demo.log &
  demo=$!
  for i in $(seq 1 120); do
    if grep -q "/metrics$" /tmp/demo-guide.txt 2>/dev/null; then break; fi
    sleep 1
  done
  # bash reads /dev/tcp itself: nothing beyond the README needs installing.
  exec 3<>/dev/tcp/127.0.0.1/18080
  printf "GET /healthz HTTP/1.0\r\n\r\n" >&3
  reply=$(cat <&3)
  kill "$demo"
  grep -q "\"status\":\"ok\"" <<<"$reply" || { echo "debian12_check: the demo did not serve: $reply"; exit 1; }
  echo "debian12_check: the demo served /healthz"
' 2>&1 | tee "$root.log"
echo "debian12_check: passed on $(chroot "$root" cat /etc/debian_version)"
