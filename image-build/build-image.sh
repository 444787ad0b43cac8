#!/bin/bash
# The one command for a build machine: the Raspberry Pi SD-card image of the kiosk.
#
#   sudo image-build/build-image.sh OUTDIR
#
# Builds OUTDIR/rootfs-arm64-trixie.tar with build-rootfs.sh (unless it is already there)
# and assembles OUTDIR/kiosk-arm64-trixie.img: an MBR disk with
#   1  KIOSKBOOT  FAT32, 512 MiB   firmware, kernel, initrd, device trees, config/cmdline.txt
#   2  KIOSKROOT  ext4             the root file system (read-only once provisioned)
#   3  KIOSKDATA  ext4, 256 MiB    /var/lib/kiosk; grown to fill the card on first boot
# then compresses it to .img.xz for Raspberry Pi Imager or `xzcat ... | dd`.
#
# The file systems are made from directories (mkfs.ext4 -d, mtools), so no loop device or
# mount is needed; an arm64 build on an x86_64 machine needs qemu-user-static with binfmt
# for build-rootfs.sh. Environment:
#   ROOTFS   assemble this root filesystem tarball instead of building one
#   SUITE    default trixie;  ARCH default arm64
#   DATA_MB  size of the data partition in the image (default 256)
#   NO_XZ=1  keep only the uncompressed .img
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
OUTDIR=$(cd "$1" && pwd)
ARCH=${ARCH:-arm64}
SUITE=${SUITE:-trixie}
DATA_MB=${DATA_MB:-256}
BOOT_MB=512
# Partitions start on 4 MiB boundaries: SD cards' erase blocks.
ALIGN_MB=4
# The data partition's owner: the kiosk user that hooks/configure-system.sh creates.
KIOSK_UID=900

if [ "$(id -u)" -ne 0 ]; then
    echo "build-image.sh: run as root (file ownership inside the image)" >&2
    exit 1
fi
for tool in sfdisk mkfs.ext4 mkfs.vfat mcopy xz git; do
    command -v "$tool" >/dev/null || {
        echo "build-image.sh: $tool missing: apt-get install fdisk e2fsprogs dosfstools mtools xz-utils git" >&2
        exit 1
    }
done

SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$HERE/.." log -1 --format=%ct)}
export SOURCE_DATE_EPOCH
# mke2fs stamps the file systems with this time instead of now.
export E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH

ROOTFS=${ROOTFS:-$OUTDIR/rootfs-$ARCH-$SUITE.tar}
if [ ! -f "$ROOTFS" ]; then
    "$HERE/build-rootfs.sh" "$ARCH" "$SUITE" "$OUTDIR"
fi
IMAGE="$OUTDIR/kiosk-$ARCH-$SUITE.img"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/root" "$WORK/boot" "$WORK/data"
tar -C "$WORK/root" --numeric-owner --xattrs --xattrs-include='*' -xpf "$ROOTFS"

# /boot/firmware is where Debian's raspi-firmware and kernel hooks put what the Pi's boot
# ROM reads; on the card it is the FAT partition, and on the root an empty mount point.
if [ -n "$(ls -A "$WORK/root/boot/firmware")" ]; then
    mv "$WORK/root/boot/firmware/"* "$WORK/boot/"
elif [ "$ARCH" = arm64 ]; then
    echo "build-image.sh: $ROOTFS has no /boot/firmware contents: not bootable on a Pi" >&2
    exit 1
else
    echo "build-image.sh: warning: $ARCH root filesystem: the boot partition has no Pi firmware" >&2
fi
# The card boots its root by label, read-only at first (systemd then remounts it per
# /etc/fstab, overlayroot deciding the rest). raspi-firmware writes cmdline.txt from
# /etc/default/raspi-* (hooks/configure-system.sh) and rewrites it on every kernel update.
cmdline="$WORK/boot/cmdline.txt"
if [ -f "$cmdline" ]; then
    grep -q 'root=LABEL=KIOSKROOT .* ro\b' "$cmdline" || {
        echo "build-image.sh: unexpected $(cat "$cmdline")" >&2
        exit 1
    }
else
    printf 'console=tty1 root=LABEL=KIOSKROOT rw fsck.repair=yes rootwait ro quiet\n' >"$cmdline"
fi
if [ -d "$WORK/root/var/lib/kiosk" ]; then
    cp -a "$WORK/root/var/lib/kiosk/." "$WORK/data/"
fi

# Sizes in MiB: the root gets a quarter more than its contents for later package updates
# through overlayroot-chroot.
root_mb=$(( $(du -s --block-size=1M "$WORK/root" | cut -f1) * 5 / 4 + 256 ))
root_mb=$(( (root_mb + ALIGN_MB - 1) / ALIGN_MB * ALIGN_MB ))
boot_start=$ALIGN_MB
root_start=$(( boot_start + BOOT_MB ))
data_start=$(( root_start + root_mb ))
total_mb=$(( data_start + DATA_MB ))

# Volume ids and UUIDs derived from the build's inputs, not random, so two builds of one
# commit differ as little as the file systems allow.
seed=$(printf '%s %s %s' "$SOURCE_DATE_EPOCH" "$ARCH" "$SUITE" | sha256sum | cut -c1-32)
uuid_of() {
    printf '%s' "$seed$1" | sha256sum | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/\1-\2-\3-\4-\5/'
}
vfat_id=${seed:0:8}

mkfs.vfat -F 32 -n KIOSKBOOT -i "$vfat_id" -C "$WORK/boot.img" $(( BOOT_MB * 1024 )) >/dev/null
if [ -n "$(ls -A "$WORK/boot")" ]; then
    mcopy -s -p -m -i "$WORK/boot.img" "$WORK/boot/"* ::/
fi
mkfs.ext4 -q -L KIOSKROOT -U "$(uuid_of root)" -E "hash_seed=$(uuid_of root-hash)" \
    -d "$WORK/root" "$WORK/root.img" "${root_mb}M"
mkfs.ext4 -q -L KIOSKDATA -U "$(uuid_of data)" -E "hash_seed=$(uuid_of data-hash),root_owner=$KIOSK_UID:$KIOSK_UID" \
    -d "$WORK/data" "$WORK/data.img" "${DATA_MB}M"

rm -f "$IMAGE"
truncate -s "${total_mb}M" "$IMAGE"
sfdisk --quiet "$IMAGE" <<EOF
label: dos
label-id: 0x${seed:8:8}
start=${boot_start}MiB, size=${BOOT_MB}MiB, type=c, bootable
start=${root_start}MiB, size=${root_mb}MiB, type=83
start=${data_start}MiB, size=${DATA_MB}MiB, type=83
EOF
dd if="$WORK/boot.img" of="$IMAGE" bs=1M seek="$boot_start" conv=notrunc,sparse status=none
dd if="$WORK/root.img" of="$IMAGE" bs=1M seek="$root_start" conv=notrunc,sparse status=none
dd if="$WORK/data.img" of="$IMAGE" bs=1M seek="$data_start" conv=notrunc,sparse status=none

sfdisk --dump "$IMAGE"
if [ "${NO_XZ:-}" != 1 ]; then
    xz -T0 -6 --keep --force "$IMAGE"
    echo "built $IMAGE and $IMAGE.xz"
else
    echo "built $IMAGE"
fi
