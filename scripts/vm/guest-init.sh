#!/bin/bash
# PID 1 inside the test VM. The root file system is the host's, read-only
# over virtio-9p; everything writable is a tmpfs, except the kiosk's disk in
# the power-cut tier. MIZAN_GUEST_RUN says what the boot is for:
#   gpio-tests (default): the project's kernel GPIO tests against gpio-sim;
#   power-cut: one boot of the power-cut run (mizan-sim power-cut-guest) with
#     the kiosk's state on /dev/vda (ext4), until the host pulls the plug;
#   package-install: the Debian package installed, upgraded and removed in a
#     writable overlay of the root (scripts/deb/check-installed-package.sh).
# Writes the exit status to the results share and returns, which ends the VM
# (panic=-1 with qemu's -no-reboot).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Everything writable lives under /run (a tmpfs), not /tmp: the project
# itself may be a checkout under the host's /tmp, which must stay visible.
export TMPDIR=/run/tmp HOME=/run/home LANG=C.UTF-8 TERM=dumb NO_COLOR=1
# Swift's crash backtracer is a separate program that does not start here;
# the runtime's own message is clearer than its failure to start.
export SWIFT_BACKTRACE=enable=no
# The host's /proc and /sys show through the 9p root as plain directories:
# mount the guest's own over them. The kernel mounted /dev (DEVTMPFS_MOUNT).
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t configfs configfs /sys/kernel/config
case "$MIZAN_PROJECT/" in
/run/* | /proc/* | /sys/* | /dev/*)
    echo "guest: error: the project at $MIZAN_PROJECT is hidden by the guest's own mounts; check it out elsewhere"
    exit 2
    ;;
esac
mount -t tmpfs -o mode=755 tmpfs /run
# Foundation's run loop wakes itself through a loopback socket pair (Process
# waits for its children that way), and the kernel starts with lo down.
ip link set lo up
mkdir -p "$HOME" "$TMPDIR" /run/results
chmod 1777 "$TMPDIR"
mount -t 9p -o trans=virtio,version=9p2000.L results /run/results

status=2
finish() {
    echo "$status" > /run/results/status
    sync
    exit "$status"
}
trap finish EXIT

echo "guest: linux $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) MiB"
cd "$MIZAN_PROJECT" || exit

run_power_cut() {
    mkdir -p /run/kiosk
    # The kernel replays ext4's journal here, as the board's does at boot.
    mount -t ext4 /dev/vda /run/kiosk || return 2
    "$MIZAN_SIM" power-cut-guest --daemon "$MIZAN_DAEMON" --state /run/kiosk/state \
        --results /run/results --boot "$MIZAN_BOOT" --plan "$MIZAN_PLAN" --first-drop "$MIZAN_FIRST_DROP"
    local ended=$?
    umount /run/kiosk
    return $ended
}

run_gpio_tests() {
    if [[ ! -d /sys/kernel/config/gpio-sim ]]; then
        echo "guest: error: /sys/kernel/config/gpio-sim is missing: the kernel has no gpio-sim"
        return 2
    fi
    export MIZAN_GPIO_SIM=1
    # Swift Testing's output, one line per test, goes to the console and so to
    # the host's log.
    # One test at a time: the guest has one CPU, and the lid and Wiegand tests
    # make their edges from user space, where a preempted writer is a late edge.
    "$MIZAN_TEST_BUNDLE" --testing-library swift-testing --no-parallel --filter "$MIZAN_TEST_FILTER"
}

# dpkg needs a writable root: the host's, read-only, under a tmpfs that
# takes every change and is gone with the VM. The check runs chrooted in it
# with the guest's own /proc, /sys, /dev and /run.
run_package_install() {
    local top=/run/overlay
    mkdir -p "$top/upper" "$top/work" "$top/merged"
    mount -t overlay overlay -o "lowerdir=/,upperdir=$top/upper,workdir=$top/work" "$top/merged" || return 2
    mount -t proc proc "$top/merged/proc"
    mount -t sysfs sysfs "$top/merged/sys"
    mount -t configfs configfs "$top/merged/sys/kernel/config"
    mount --rbind /dev "$top/merged/dev"
    mount -t tmpfs -o mode=755 tmpfs "$top/merged/run"
    chroot "$top/merged" /usr/bin/env TMPDIR=/tmp HOME=/root \
        /bin/bash "$MIZAN_PROJECT/scripts/deb/check-installed-package.sh" \
        "$MIZAN_OLD_PACKAGE" "$MIZAN_PACKAGE"
}

case "${MIZAN_GUEST_RUN:-gpio-tests}" in
power-cut) run_power_cut ;;
package-install) run_package_install ;;
gpio-tests) run_gpio_tests ;;
*) echo "guest: error: unknown MIZAN_GUEST_RUN=$MIZAN_GUEST_RUN"; false ;;
esac
status=$?
echo "guest: ${MIZAN_GUEST_RUN:-gpio-tests} ended with status $status"
