#!/usr/bin/env bash
# The package-install tier: boots the VM tier's kernel under qemu with the
# host's root read-only, and in the guest installs `make deb`'s package into
# a writable overlay of it, checks it as a technician would, upgrades it over
# a ledger and an edited configuration, removes and purges it
# (check-installed-package.sh). The "older" package is the same files under
# a lower version (VERSION~older), so the upgrade path is dpkg's real one.
#
# Usage: install-test-in-vm.sh [PACKAGE.deb]   (default: dist/'s for this version)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$(cd "$here/../.." && pwd)"
cd "$project"
tier="package-install tier"
# shellcheck source=../vm/skip-unless-vm-can-run.sh
source "$project/scripts/vm/skip-unless-vm-can-run.sh"
# shellcheck source=../vm/boot-guest.sh
source "$project/scripts/vm/boot-guest.sh"

version="$(dpkg-parsechangelog -S Version)"
package="$(realpath "${1:-dist/mizan_${version}_$(dpkg-architecture -q DEB_HOST_ARCH).deb}")"
if [[ ! -f $package ]]; then
    echo "error: $package is missing; build it first (make deb)" >&2
    exit 2
fi

# Under .build/, which the guest sees through the host's root (not /run,
# which the guest mounts over).
work="$project/.build/package-install-test"
rm -rf "$work"
mkdir -p "$work/older"
dpkg-deb -R "$package" "$work/older"
sed -i "s/^Version: .*/Version: ${version}~older/" "$work/older/DEBIAN/control"
older="$work/mizan_${version}~older.deb"
dpkg-deb --root-owner-group -b "$work/older" "$older" >/dev/null
rm -rf "$work/older"

kernel="${MIZAN_GPIO_KERNEL:-$("$project/scripts/vm/build-kernel.sh")}"
results="$(mktemp -d)"
trap 'rm -rf "$results" "$work"' EXIT
echo "package-install tier: $(basename "$older") then $(basename "$package") in the VM (tcg, one CPU)"
started=$SECONDS
boot_guest "${MIZAN_PACKAGE_VM_TIMEOUT:-900}" "$results" MIZAN_GUEST_RUN=package-install \
    MIZAN_PACKAGE="$package" MIZAN_OLD_PACKAGE="$older"
status="$(guest_status "package-install tier" "$results")" || exit 1
echo "package-install tier: $((SECONDS - started)) s, status $status"
exit "$status"
