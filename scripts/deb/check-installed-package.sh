#!/usr/bin/env bash
# Inside the package-install VM, as root, in a writable copy of the host's
# root (guest-init.sh): installs the older package, checks what a technician
# would, upgrades to the newer one over a ledger and an edited configuration,
# removes it and purges it. Prints one line per check; exits 1 if any failed.
#
# Usage: check-installed-package.sh OLDER.deb NEWER.deb
set -uo pipefail
older="$1"
newer="$2"
export DEBIAN_FRONTEND=noninteractive
# man-db's trigger re-indexes every manual page on the system at each dpkg
# run: minutes under emulation, and nothing this test looks at. This root is
# a throw-away overlay.
rm -f /var/lib/man-db/auto-update
failures=0
ok() { echo "install test: ok: $*"; }
failed() {
    echo "install test: FAILED: $*"
    failures=$((failures + 1))
}
check() {
    local what="$1"
    shift
    if "$@"; then ok "$what"; else failed "$what"; fi
}
mode_is() { [[ $(stat -c '%a %U %G' "$1" 2>&1) == "$2" ]] || { echo "  $1: $(stat -c '%a %U %G' "$1" 2>&1), want $2"; false; }; }
in_group() { id -nG "$1" | tr ' ' '\n' | grep -qx "$2"; }

# The daemon as its unit runs it (User=mizan, its groups, its runtime
# directory), for the boots that make and read the ledger.
start_daemon() {
    install -d -m 0750 -o mizan -g mizan /run/mizan
    setpriv --reuid=mizan --regid=mizan --init-groups /usr/bin/mizand --config /etc/mizan/mizan.yaml \
        >>/run/mizand.log 2>&1 &
    daemon=$!
    for _ in $(seq 150); do
        mizanctl status >/dev/null 2>&1 && return 0
        kill -0 "$daemon" 2>/dev/null || break
        sleep 0.2
    done
    echo "  mizand did not answer; its log:"
    tail -20 /run/mizand.log | sed 's/^/    /'
    false
}
stop_daemon() {
    kill -TERM "$daemon" 2>/dev/null
    wait "$daemon"
}

echo "install test: dpkg -i $(basename "$older")"
check "the older package installs" dpkg -i "$older"
check "version $(dpkg-query -W -f='${Version}' mizan) installed" test -x /usr/bin/mizand

check "user mizan exists" getent passwd mizan
check "user mizan-screen exists" getent passwd mizan-screen
check "group mizan-tech exists" getent group mizan-tech
check "mizan is in gpio" in_group mizan gpio
check "mizan is in dialout" in_group mizan dialout
check "mizan-screen cannot read the ledger (not in group mizan)" bash -c '! id -nG mizan-screen | tr " " "\n" | grep -qx mizan'

check "/etc/mizan is 750 root:mizan" mode_is /etc/mizan "750 root mizan"
check "/etc/mizan/mizan.yaml is 640 root:mizan" mode_is /etc/mizan/mizan.yaml "640 root mizan"
check "/var/lib/mizan is 750 mizan:mizan" mode_is /var/lib/mizan "750 mizan mizan"
check "/var/lib/mizan-screen is 700 mizan-screen:mizan-screen" mode_is /var/lib/mizan-screen "700 mizan-screen mizan-screen"
for binary in mizand mizan-web mizanctl; do
    check "/usr/bin/$binary is 755 root:root" mode_is "/usr/bin/$binary" "755 root root"
done
check "/etc/mizan/mizan.yaml is a conffile" bash -c "dpkg-query -W -f='\${Conffiles}' mizan | grep -q ' /etc/mizan/mizan.yaml '"
check "the udev rules are installed" test -f /lib/udev/rules.d/60-mizan.rules
for page in mizand mizan-web mizanctl; do
    check "man page $page(1)" test -f "/usr/share/man/man1/$page.1.gz"
done
check "bash completion" test -f /usr/share/bash-completion/completions/mizanctl
check "zsh completion" test -f /usr/share/zsh/vendor-completions/_mizanctl
check "fish completion" test -f /usr/share/fish/vendor_completions.d/mizanctl.fish
check "the copyright file" test -f /usr/share/doc/mizan/copyright

for unit in mizand mizan-web mizan-screen; do
    check "$unit.service is enabled" test -L "/etc/systemd/system/$(
        [[ $unit == mizan-screen ]] && echo graphical || echo multi-user
    ).target.wants/$unit.service"
    output="$(systemd-analyze verify "/lib/systemd/system/$unit.service" 2>&1)"
    status=$?
    if [[ $status -eq 0 && -z $output ]]; then ok "systemd-analyze verify $unit.service"; else
        failed "systemd-analyze verify $unit.service: $output"
    fi
done

check "mizand --check-config accepts the installed configuration" \
    mizand --check-config --config /etc/mizan/mizan.yaml
# Nothing is attached: doctor fails and names what is missing.
doctor="$(mizanctl doctor --quick 2>&1)"
status=$?
echo "$doctor" | sed 's/^/    /'
check "mizanctl doctor fails with nothing attached" test "$status" -eq 1
check "doctor names the missing GPIO chip and the scale on it" grep -q "no /dev/gpiochip\* (the scale's HX711" <<<"$doctor"
check "doctor names the missing card reader" grep -q "/dev/mizan-rfid" <<<"$doctor"

# The board's GPIO chip, as gpio-sim: the installed configuration's lines
# exist, the HX711 sends nothing (no scale attached).
chip=/sys/kernel/config/gpio-sim/kiosk
mkdir -p "$chip/bank0"
echo 32 >"$chip/bank0/num_lines"
echo 1 >"$chip/live"
# An HX711 that is not there: its DOUT pulled high never says "data ready".
for pull in /sys/devices/platform/gpio-sim.*/gpiochip*/sim_gpio5/pull; do echo pull-up >"$pull"; done
# The technician's edit, which an upgrade must keep.
sed -i 's/^kiosk: {id: bz-01,/kiosk: {id: bz-07,/' /etc/mizan/mizan.yaml
configuration_before="$(sha256sum </etc/mizan/mizan.yaml)"
if start_daemon; then
    ok "mizand starts as user mizan on the installed configuration"
    check "a household is registered through the daemon" \
        mizanctl households add 0A1B2C3D4E --name "Umm Khalil"
    stop_daemon
else
    failed "mizand starts as user mizan on the installed configuration"
fi
check "the ledger exists" test -s /var/lib/mizan/ledger.sqlite

echo "install test: upgrade to $(basename "$newer")"
check "the newer package installs over the older" dpkg -i "$newer"
check "version $(dpkg-query -W -f='${Version}' mizan) installed" \
    test "$(dpkg-query -W -f='${Version}' mizan)" = "$(dpkg-deb -f "$newer" Version)"
check "the edited configuration is kept" test "$(sha256sum </etc/mizan/mizan.yaml)" = "$configuration_before"
check "the configuration keeps its mode" mode_is /etc/mizan/mizan.yaml "640 root mizan"
if start_daemon; then
    ok "the upgraded mizand starts on the kept ledger"
    check "the household is still there" bash -c 'mizanctl households show 0A1B2C3D4E | grep -q "Umm Khalil"'
    stop_daemon
else
    failed "the upgraded mizand starts on the kept ledger"
fi
check "the ledger verifies" mizanctl ledger verify --state-dir /var/lib/mizan

echo "install test: dpkg -r mizan, then dpkg -P mizan"
check "removal succeeds" dpkg -r mizan
check "removal keeps the ledger" test -s /var/lib/mizan/ledger.sqlite
check "removal keeps the configuration" test -f /etc/mizan/mizan.yaml
check "removal takes the binaries" test ! -e /usr/bin/mizand
purge="$(dpkg -P mizan </dev/null 2>&1)"
status=$?
echo "$purge" | sed 's/^/    /'
check "purge succeeds without asking" test "$status" -eq 0
check "purge keeps the ledger" test -s /var/lib/mizan/ledger.sqlite
check "purge says where the ledger is" grep -q "/var/lib/mizan" <<<"$purge"
check "purge removes the configuration" test ! -e /etc/mizan/mizan.yaml

echo "install test: $failures failed"
((failures == 0))
