# Sourced by the VM tiers' scripts with the tier's name in $tier: exits 0
# with SKIPPED where the VM cannot run. The guest runs the host's own
# binaries, so the host must be x86_64, and qemu must work.
if [[ $(uname -m) != x86_64 ]]; then
    echo "SKIPPED: $tier: the VM runs the host's x86_64 binaries; this host is $(uname -m)"
    exit 0
fi
if ! command -v qemu-system-x86_64 >/dev/null || ! qemu-system-x86_64 -version >/dev/null 2>&1; then
    echo "SKIPPED: $tier: qemu-system-x86_64 cannot run here (install qemu-system-x86: make setup)"
    exit 0
fi
