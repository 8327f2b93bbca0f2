#!/usr/bin/env bash
# The power-cut tier: mizand on an ext4 disk inside the VM, qemu killed at
# random moments, the recovered ledger checked after every boot (see
# mizan-sim power-cuts). Builds the VM's kernel first if it is not cached.
#
# Usage: power-cuts.sh [CUTS] [BUILD-DIR]   (default 20 cuts, .build/debug)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$(cd "$here/../.." && pwd)"
cuts="${1:-20}"
build="$(realpath "${2:-$project/.build/debug}")"

tier="power-cut tier"
# shellcheck source=skip-unless-vm-can-run.sh
source "$here/skip-unless-vm-can-run.sh"
for binary in mizan-sim mizand; do
    if [[ ! -x $build/$binary ]]; then
        echo "error: $build/$binary is missing; build it first (swift build)" >&2
        exit 2
    fi
done
kernel="${MIZAN_GPIO_KERNEL:-$("$here/build-kernel.sh")}"
cd "$project"
exec "$build/mizan-sim" power-cuts --cuts "$cuts" --kernel "$kernel" --guest-init "$here/guest-init.sh" \
    --daemon "$build/mizand"
