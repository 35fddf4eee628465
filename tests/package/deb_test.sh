#!/usr/bin/env bash
# The Debian package (cmake/package.cmake), checked with dpkg-deb: builds it,
# reads its control data and file list, extracts it into a scratch root and
# runs the binary from there. Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --build "$build" --target package >/dev/null
deb=$(ls "$build"/earshot_*_*.deb | head -1)
[ -f "$deb" ] || fail "no earshot_*.deb in $build"

info=$(dpkg-deb -I "$deb")
for dep in adduser pocketsphinx-en-us libmicrohttpd12 libsodium23 libsqlite3-0; do
  grep -q "Depends:.*\b$dep\b" <<<"$info" || fail "Depends lacks $dep"
done
[ "$(dpkg-deb -f "$deb" Package)" = earshot ] || fail "the package is not named earshot"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -e "$deb" "$root/DEBIAN"
grep -qx /etc/earshot/earshot.conf "$root/DEBIAN/conffiles" || fail "earshot.conf is not a conffile"
for script in postinst postrm; do
  [ -x "$root/DEBIAN/$script" ] || fail "$script missing or not executable"
  sh -n "$root/DEBIAN/$script" || fail "$script is not valid sh"
done
grep -q 'adduser --system' "$root/DEBIAN/postinst" || fail "postinst makes no system user"

dpkg-deb -x "$deb" "$root"
for f in usr/bin/earshot usr/lib/systemd/system/earshot.service etc/earshot/earshot.conf \
         usr/share/man/man1/earshot.1.gz usr/share/man/man1/earshot-serve.1.gz \
         usr/share/man/man1/earshot-user.1.gz usr/share/doc/earshot/operations.md; do
  [ -e "$root/$f" ] || fail "$f is not in the package"
done

# The unit: its own user, the state directory, and the hardening asked for.
unit=$root/usr/lib/systemd/system/earshot.service
for line in User=earshot StateDirectory=earshot NoNewPrivileges=yes ProtectSystem=strict \
            ProtectHome=yes PrivateTmp=yes CapabilityBoundingSet= \
            'ExecStart=/usr/bin/earshot serve --data /var/lib/earshot $EARSHOT_SERVE_ARGS' \
            EnvironmentFile=/etc/earshot/earshot.conf; do
  grep -qxF "$line" "$unit" || fail "the unit lacks $line"
done
# systemd reads it without a complaint (unknown or misspelt directives fail),
# the binary taken from the scratch root.
if command -v systemd-analyze >/dev/null; then
  sed "s|/usr/bin/earshot|$root/usr/bin/earshot|" "$unit" >"$root/earshot.service"
  out=$(systemd-analyze verify --man=no "$root/earshot.service" 2>&1) || fail "systemd-analyze: $out"
  [ -z "$out" ] || fail "systemd-analyze: $out"
fi
# Every flag the conf passes exists.
args=$(sed -n 's/^EARSHOT_SERVE_ARGS="\(.*\)"$/\1/p' "$root/etc/earshot/earshot.conf")
[ -n "$args" ] || fail "earshot.conf sets no EARSHOT_SERVE_ARGS"
help=$("$root/usr/bin/earshot" serve --help)
for flag in $args; do
  case $flag in --*) grep -q -- "$flag" <<<"$help" || fail "earshot serve has no $flag" ;; esac
done

# The binary runs from the package, stripped, and says its version.
"$root/usr/bin/earshot" --version | grep -qx "earshot $(dpkg-deb -f "$deb" Version)" ||
  fail "earshot --version does not match the package version"
if readelf -S "$root/usr/bin/earshot" | grep -q '\.debug_info'; then fail "the binary is not stripped"; fi
# The man pages render and carry the CLI's own help.
zcat "$root/usr/share/man/man1/earshot-serve.1.gz" | grep -q 'tls\\-cert' ||
  fail "earshot-serve(1) lacks --tls-cert"
zcat "$root/usr/share/man/man1/earshot-serve.1.gz" | grep -q '^\.TH EARSHOT-SERVE ' ||
  fail "earshot-serve(1) is not titled as its own page"
echo "package ok: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"
