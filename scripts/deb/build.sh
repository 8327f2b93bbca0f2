#!/usr/bin/env bash
# `make deb`: the kiosk's Debian package for this machine's architecture
# (amd64 here; the same command on an arm64 board builds the arm64 one),
# built by debhelper from debian/, into dist/; then lintian over it. Prints
# the package's name, size and lintian's findings; exits non-zero when the
# build fails or lintian reports an error or a warning.
set -euo pipefail
project="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$project"

dpkg-checkbuilddeps
version="$(dpkg-parsechangelog -S Version)"
architecture="$(dpkg-architecture -q DEB_HOST_ARCH)"
package="dist/mizan_${version}_${architecture}.deb"
rm -f "$package"
mkdir -p dist
# The binary package only: it is for boards, not for a Debian archive, so
# no source package, .changes or .buildinfo.
# From a clean debian/ (a stamp left by an earlier run would skip the build).
debian/rules clean >/dev/null
debian/rules binary
debian/rules clean >/dev/null

echo "make deb: $package, $(du -k "$package" | cut -f1) KiB ($(dpkg-deb -f "$package" Installed-Size) KiB installed)"
dpkg-deb -f "$package" Package Version Architecture Depends Recommends
echo "make deb: lintian (tags this package keeps on purpose: debian/mizan.lintian-overrides)"
# --fail-on error,warning: an unexplained warning fails the build as an error does.
lintian --fail-on error,warning --info "$package"
echo "make deb: lintian clean"
