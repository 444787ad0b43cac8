#!/bin/bash
# mmdebstrap customize hook, last: leave nothing that must be unique per card, so every
# card written from the image makes its own identity on first boot.
#   finalize.sh ROOT
set -euo pipefail
root=$1

# Empty (not absent): systemd then treats the first boot as first boot and generates it.
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
rm -f "$root"/etc/ssh/ssh_host_*
rm -f "$root/var/lib/systemd/random-seed" "$root/var/lib/systemd/credential.secret"
rm -rf "$root"/var/log/journal/* "$root"/tmp/* "$root"/var/tmp/*
rm -rf "$root"/root/.cache "$root"/var/cache/apt/*.bin
