#!/usr/bin/env bash
# Installs what Mizan needs to build and test on Debian bookworm (or Raspberry
# Pi OS): the C libraries behind GPIO and the ledger. Runs apt only for what
# is missing, so it is quick on a machine that already has everything.
set -euo pipefail

# chromium and a font with Arabic glyphs: the report page and the household
# screen are rendered in a real headless browser by the tests; the screen's
# own fonts (Noto Sans Arabic, Noto Sans) come from fonts-noto-core, served
# by mizan-web.
packages=(libgpiod-dev libsqlite3-dev pkg-config chromium fonts-dejavu-core fonts-noto-core)
# `make deb`: Debian's packaging tools and lintian; libcurl's headers, which
# a static Foundation links for mizan-web's pushes to the hub (URLSession).
packages+=(debhelper dpkg-dev lintian libcurl4-openssl-dev chrpath)
# The hub's tests start their own PostgreSQL server (initdb in a temporary
# directory, a private port, run as the unprivileged postgres user).
packages+=(postgresql)
# The VM tiers (gpio-sim, power cuts) build a small kernel from Debian's
# source and boots it under qemu with the host's binaries, so only on x86_64.
# The power-cut tier formats its kiosk disk with e2fsprogs. The package-install
# tier installs the package (systemd's sysusers and tmpfiles) and verifies the
# screen's unit, which starts cage.
if [[ $(uname -m) == x86_64 ]]; then
    packages+=(linux-source-6.1 qemu-system-x86 make gcc bc flex bison libelf-dev xz-utils iproute2 e2fsprogs systemd cage)
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "error: the Swift toolchain (6.0 or later) is not on PATH; install it from swift.org first" >&2
    exit 1
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "installing: ${missing[*]}"
sudo_prefix=()
if [[ $(id -u) -ne 0 ]]; then
    sudo_prefix=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_prefix[@]}" apt-get update -qq
"${sudo_prefix[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
