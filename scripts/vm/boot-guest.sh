# Sourced by the VM tiers (gpio-sim, package-install). boot_guest SECONDS
# RESULTS KEY=VALUE…: boots $kernel under qemu (software emulation, one CPU,
# 2 GiB; -cpu max: the host's Swift binaries use instructions, SSE4.2 and
# later, that qemu's default CPU model lacks) with the host's root file
# system read-only over virtio-9p and RESULTS as the results share; PID 1 is
# guest-init.sh, with $project and the KEY=VALUE words in its environment.
# Stops it after SECONDS; sets qemu_status (124: the time limit).
vm_scripts="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

boot_guest() {
    local seconds="$1" results="$2"
    shift 2
    set +e
    timeout --foreground "$seconds" qemu-system-x86_64 \
        -accel tcg -cpu max -smp 1 -m 2048 -nographic -no-reboot \
        -kernel "$kernel" \
        -append "console=ttyS0 loglevel=4 panic=-1 rootfstype=9p root=hostroot rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro init=$vm_scripts/guest-init.sh MIZAN_PROJECT=$project $*" \
        -fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
        -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
        -fsdev local,id=results,path="$results",security_model=none \
        -device virtio-9p-pci,fsdev=results,mount_tag=results \
        </dev/null
    qemu_status=$?
    set -e
}

# guest_status TIER RESULTS: prints the status guest-init.sh left in
# RESULTS; when there is none (the guest never got that far), says so on
# stderr with qemu's exit and fails.
guest_status() {
    local tier="$1" results="$2"
    if [[ ! -f $results/status ]]; then
        echo "$tier: FAILED: the VM ended without a status (qemu exit $qemu_status; 124 is the time limit)" >&2
        return 1
    fi
    cat "$results/status"
}
