#!/bin/sh
# What a screen reader could get from the kiosk window under cage (docs/accessibility.md).
# Run as an ordinary user (cage refuses to run as root), from the source folder:
#   sh docs/examples/atspi-under-cage.sh /tmp/atspi-probe
# It starts a private D-Bus session, cage on its headless backend, the kiosk window on a demo
# library inside it, and then lists (1) the session bus names, where a compositor that lets
# Orca grab its keys would own org.freedesktop.a11y.Manager, and (2) the window's AT-SPI tree.
set -eu
out=${1:-/tmp/atspi-probe}
mkdir -p "$out"
if [ -z "${INSIDE_CAGE:-}" ]; then
    export XDG_RUNTIME_DIR="$out/run" INSIDE_CAGE=1
    mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
    exec dbus-run-session -- env WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 \
        WLR_RENDERER=pixman cage -- sh "$0" "$out"
fi
busctl --user list --no-pager > "$out/session-bus.txt"
busctl --user set-property org.a11y.Bus /org/a11y/bus org.a11y.Status IsEnabled b true
QT_QPA_PLATFORM=wayland KIOSK_DEMO_DB="$out/demo.db" DEMO_BOOKS=200 \
    timeout 120 ${KIOSK:-.venv/bin/kiosk} run --demo > "$out/kiosk.log" 2>&1 &
bus=$(busctl --user call org.a11y.Bus /org/a11y/bus org.a11y.Bus GetAddress | cut -d'"' -f2)
app=""
for _ in $(seq 90); do       # the window registers once the demo library is built and shown
    app=$(busctl --address="$bus" list --no-pager | awk '/kiosk|python/ {print $1; exit}')
    [ -n "$app" ] && break
    sleep 1
done
sleep 3
walk() {   # path depth: role and name of each node, depth first
    role=$(busctl --address="$bus" call "$app" "$1" org.a11y.atspi.Accessible GetRoleName | cut -d'"' -f2)
    name=$(busctl --address="$bus" get-property "$app" "$1" org.a11y.atspi.Accessible Name | cut -d'"' -f2)
    name=$(printf '%b' "$name")           # busctl writes UTF-8 bytes as octal escapes
    printf '%*s%s: %s\n' "$2" '' "$role" "$name"
    for child in $(busctl --address="$bus" call "$app" "$1" org.a11y.atspi.Accessible GetChildren \
                   | grep -o '"/org/a11y/atspi/accessible/[0-9a-z]*"' | tr -d '"'); do
        walk "$child" $(($2 + 2))
    done
}
walk /org/a11y/atspi/accessible/root 0 > "$out/atspi-tree.txt"
grep -c 'a11y.Manager' "$out/session-bus.txt" || true
kill %1 2>/dev/null || true
