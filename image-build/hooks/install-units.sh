#!/bin/bash
# mmdebstrap customize hook: the application's systemd units, sysusers, tmpfiles and udev
# rules from the repository's systemd/ folder, and the units image-build/units.txt names
# enabled. A listed unit that systemd/ does not have yet is skipped with a warning.
#   install-units.sh ROOT
set -euo pipefail
root=$1
here=$(cd "$(dirname "$0")/.." && pwd)
src="$here/../systemd"

if [ ! -d "$src" ]; then
    echo "install-units.sh: warning: no systemd/ folder, no units installed" >&2
    exit 0
fi

shopt -s nullglob
for unit in "$src"/*.service "$src"/*.timer "$src"/*.socket "$src"/*.path "$src"/*.target; do
    install -D -m 644 "$unit" "$root/usr/lib/systemd/system/$(basename "$unit")"
done
for conf in "$src"/sysusers.d/*.conf; do
    install -D -m 644 "$conf" "$root/usr/lib/sysusers.d/$(basename "$conf")"
done
for conf in "$src"/tmpfiles.d/*.conf; do
    install -D -m 644 "$conf" "$root/usr/lib/tmpfiles.d/$(basename "$conf")"
done
for rules in "$src"/udev/*.rules; do
    install -D -m 644 "$rules" "$root/usr/lib/udev/rules.d/$(basename "$rules")"
done

# Apply sysusers/tmpfiles now too, so the image already has the users and directories.
if [ -n "$(ls "$root/usr/lib/sysusers.d/" 2>/dev/null)" ]; then
    chroot "$root" systemd-sysusers
fi

while read -r unit; do
    if [ ! -f "$root/usr/lib/systemd/system/$unit" ]; then
        echo "install-units.sh: warning: $unit is not in systemd/ yet, not enabled" >&2
        continue
    fi
    chroot "$root" systemctl enable "$unit"
done < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/units.txt" | grep -v '^$')
