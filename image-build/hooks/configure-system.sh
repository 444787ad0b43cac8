#!/bin/bash
# mmdebstrap customize hook: system settings of the kiosk root filesystem.
#   configure-system.sh ROOT ARCH BUILD_INFO
set -euo pipefail
root=$1
arch=$2
build_info=$3

install -D -m 644 "$build_info" "$root/etc/kiosk-image/build-info"

# Vietnamese first, English for technicians; the commune libraries are all in one zone.
printf 'vi_VN.UTF-8 UTF-8\nen_US.UTF-8 UTF-8\n' >"$root/etc/locale.gen"
chroot "$root" locale-gen
printf 'LANG=vi_VN.UTF-8\n' >"$root/etc/default/locale"
ln -sf /usr/share/zoneinfo/Asia/Ho_Chi_Minh "$root/etc/localtime"
printf 'Asia/Ho_Chi_Minh\n' >"$root/etc/timezone"

# IBus's emoji and Unicode-name dictionaries: files/etc/dpkg/dpkg.cfg.d/50-kiosk-ibus keeps
# them out of upgrades; these were unpacked before it was in place.
rm -rf "$root/usr/share/ibus/dicts"

# A placeholder hostname: kiosk-image-identity.service replaces it on the first boot
# with one derived from the new machine id, kiosk-firstboot.service with the library's.
printf 'kiosk\n' >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tkiosk\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"

# The service user. systemd/sysusers.d/kiosk.conf declares the same user; creating it
# here first gives it a fixed id (sysusers would pick a free one), so build-image.sh can
# hand the data partition to it. 900 stays clear of the ids Debian's packages take
# counting down from 999.
if ! chroot "$root" getent passwd kiosk >/dev/null; then
    chroot "$root" useradd --system --uid 900 --user-group --home-dir /var/lib/kiosk \
        --no-create-home --shell /usr/sbin/nologin --comment "Library kiosk" kiosk
fi
install -d -m 750 "$root/var/lib/kiosk"
chroot "$root" chown kiosk:kiosk /var/lib/kiosk
install -d -m 755 "$root/etc/kiosk" "$root/boot/firmware"

chroot "$root" systemctl enable kiosk-image-identity.service kiosk-image-readonly.service
# A Pi has no RTC battery: NTP sets the clock whenever a time server is reachable (the app
# refuses to lend on a clock it cannot trust; `kiosk clock set` is the offline way).
chroot "$root" systemctl enable systemd-timesyncd.service
chroot "$root" systemctl set-default graphical.target
# cage owns tty1 through kiosk-ui.service; no login prompt there.
chroot "$root" systemctl mask getty@tty1.service

if [ "$arch" = arm64 ]; then
    # Debian's raspi-firmware writes cmdline.txt from these on every kernel or initramfs
    # update, so a later upgrade keeps the root by label, `ro` and the console as here.
    cat >"$root/etc/default/raspi-firmware" <<'CONF'
# Written by image-build/hooks/configure-system.sh.
ROOTPART=LABEL=KIOSKROOT
CONSOLES="tty1"
# No cma= on the command line: the hook cannot see the Pi model when building on another
# machine, and a Pi 4 does not boot with its default cma=64M; vc4-kms-v3d sets its own.
CMA=0
KERNEL_ARCH="arm64"
CONF
    printf 'ro quiet\n' >"$root/etc/default/raspi-extra-cmdline"
    cat >"$root/etc/default/raspi-firmware-custom" <<'CONF'
# The Pi's KMS graphics driver, which cage (wlroots) needs for the touch screen.
dtoverlay=vc4-kms-v3d
disable_overscan=1
CONF
    # Rewrite config.txt and cmdline.txt from those now; the initramfs (with overlayroot's
    # hook) was already built when the packages were configured.
    chroot "$root" env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware
fi
