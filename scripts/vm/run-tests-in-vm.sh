#!/usr/bin/env bash
# The gpio-sim tier: boots the small kernel under qemu (software emulation)
# with the host's root file system read-only over virtio-9p as the guest's
# root, and runs the project's kernel GPIO tests (MizanGPIOKernelTests) in
# it against gpio-sim chips. Exits with the tests' status; their output is
# the guest's console, copied to this script's stdout.
#
# Usage: run-tests-in-vm.sh [TEST-BUNDLE]   (default .build/debug/MizanPackageTests.xctest)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$(cd "$here/../.." && pwd)"
bundle="$(realpath "${1:-$project/.build/debug/MizanPackageTests.xctest}")"
filter="${MIZAN_GPIO_TEST_FILTER:-MizanGPIOKernelTests}"

tier="gpio-sim tier"
# shellcheck source=skip-unless-vm-can-run.sh
source "$here/skip-unless-vm-can-run.sh"
# shellcheck source=boot-guest.sh
source "$here/boot-guest.sh"
if [[ ! -x $bundle ]]; then
    echo "error: the test bundle $bundle is missing; build it first (swift build --build-tests)" >&2
    exit 2
fi

kernel_started=$SECONDS
# MIZAN_GPIO_KERNEL: boot this bzImage instead (while trying a new fragment).
kernel="${MIZAN_GPIO_KERNEL:-$("$here/build-kernel.sh")}"
kernel_seconds=$((SECONDS - kernel_started))

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
echo "gpio-sim tier: booting $(basename "$kernel") under qemu (tcg, one CPU), tests matching $filter"
vm_started=$SECONDS
boot_guest "${MIZAN_GPIO_VM_TIMEOUT:-1500}" "$results" MIZAN_TEST_BUNDLE="$bundle" MIZAN_TEST_FILTER="$filter"
vm_seconds=$((SECONDS - vm_started))

status="$(guest_status "gpio-sim tier" "$results")" || exit 1
echo "gpio-sim tier: kernel ${kernel_seconds} s (0 when cached), VM boot and tests ${vm_seconds} s, status $status"
exit "$status"
