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
set +e
timeout --foreground "${MIZAN_PACKAGE_VM_TIMEOUT:-900}" qemu-system-x86_64 \
    -accel tcg -cpu max -smp 1 -m 2048 -nographic -no-reboot \
    -kernel "$kernel" \
    -append "console=ttyS0 loglevel=4 panic=-1 rootfstype=9p root=hostroot rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro init=$project/scripts/vm/guest-init.sh MIZAN_PROJECT=$project MIZAN_GUEST_RUN=package-install MIZAN_PACKAGE=$package MIZAN_OLD_PACKAGE=$older" \
    -fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
    -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
    -fsdev local,id=results,path="$results",security_model=none \
    -device virtio-9p-pci,fsdev=results,mount_tag=results \
    </dev/null
qemu_status=$?
set -e
if [[ ! -f $results/status ]]; then
    echo "package-install tier: FAILED: the VM ended without a status (qemu exit $qemu_status; 124 is the time limit)"
    exit 1
fi
status="$(cat "$results/status")"
echo "package-install tier: $((SECONDS - started)) s, status $status"
exit "$status"
