#!/bin/bash
# Build the kiosk appliance's root filesystem as a tarball:
#
#   image-build/build-rootfs.sh ARCH SUITE OUTDIR
#
#   ARCH   arm64 for the Raspberry Pi image, or the host's architecture (amd64) for the CI test
#   SUITE  trixie for the Pi (PySide6's aarch64 wheels need glibc 2.39+); any suite for tests
#   OUTDIR receives rootfs-ARCH-SUITE.tar, .packages (dpkg list) and .python (pip freeze)
#
# Runs as root. A foreign ARCH needs qemu-user-static and binfmt_misc (see README.md); its
# Python packages come as wheels from fetch-wheels.sh (python3-pip on the build machine).
# Environment:
#   MIRROR            Debian mirror; default: the first .../debian URI in this machine's apt
#                     sources. Point it at a snapshot archive URL to pin the package set.
#   SECURITY_MIRROR   default: MIRROR with /debian replaced by /debian-security
#   SOURCE_DATE_EPOCH default: the commit time of HEAD, so two builds of one commit match
#   PIP_CERT          a CA bundle pip needs on this network (a TLS-inspecting proxy); it is
#                     used during the build only and is not left in the image
set -euo pipefail

usage() {
    echo "usage: $0 ARCH SUITE OUTDIR" >&2
    exit 2
}
[ $# -eq 3 ] || usage
ARCH=$1
SUITE=$2
OUTDIR=$3

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)

if [ "$(id -u)" -ne 0 ]; then
    echo "build-rootfs.sh: run as root (mmdebstrap needs to chroot and mount)" >&2
    exit 1
fi
for tool in mmdebstrap git; do
    command -v "$tool" >/dev/null || { echo "build-rootfs.sh: $tool is not installed" >&2; exit 1; }
done

# The packages a list file names: comments and blank lines dropped, comma-separated.
package_list() {
    sed -e 's/#.*//' -e 's/[[:space:]]//g' "$1" | grep -v '^$' | paste -sd, -
}

# The machine's own Debian mirror, so the build uses exactly what apt here uses.
default_mirror() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && grep -v '^[[:space:]]*#' "$f"
    done | grep -o -E 'https?://[^ ]+/debian/?( |$)' | head -n1 | tr -d ' ' || true
}

MIRROR=${MIRROR:-$(default_mirror)}
MIRROR=${MIRROR%/}
[ -n "$MIRROR" ] || { echo "build-rootfs.sh: set MIRROR (no Debian mirror in apt sources)" >&2; exit 1; }
SECURITY_MIRROR=${SECURITY_MIRROR:-$(printf '%s' "$MIRROR" | sed -E 's#/debian(/|$)#/debian-security\1#')}
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$REPO" log -1 --format=%ct)}
export SOURCE_DATE_EPOCH

PACKAGES=$(package_list "$HERE/packages.txt")
if [ "$ARCH" = arm64 ]; then
    PACKAGES="$PACKAGES,$(package_list "$HERE/packages-arm64.txt")"
fi

mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
NAME="rootfs-$ARCH-$SUITE"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$HERE/hooks/source-tar.sh" "$WORK/src.tar"

# A foreign architecture runs under qemu-user: its Python packages are fetched here as
# wheels for the target and installed offline, so nothing is compiled under emulation.
if [ "$ARCH" != "$(dpkg --print-architecture)" ]; then
    "$HERE/fetch-wheels.sh" "$ARCH" "$SUITE" "$WORK/wheelhouse"
    export KIOSK_WHEELHOUSE="$WORK/wheelhouse"
fi

{
    echo "suite=$SUITE"
    echo "arch=$ARCH"
    echo "source_date_epoch=$SOURCE_DATE_EPOCH"
    echo "commit=$(git -C "$REPO" rev-parse HEAD)"
    echo "packages_sha256=$(cat "$HERE"/packages*.txt | sha256sum | cut -d' ' -f1)"
} >"$WORK/build-info"

COMPONENTS="main non-free-firmware"
SOURCES=(
    "deb $MIRROR $SUITE $COMPONENTS"
    "deb $MIRROR $SUITE-updates $COMPONENTS"
    "deb $SECURITY_MIRROR $SUITE-security $COMPONENTS"
)
# Only what the lists name: recommends would pull in a desktop's worth of extras.
APT_OPTS=(--aptopt='APT::Install-Recommends "false"')
if [[ "$MIRROR" =~ /archive/debian/[0-9]{8}T ]]; then
    # A snapshot's Release files are old by design.
    APT_OPTS+=(--aptopt='Acquire::Check-Valid-Until "false"')
fi

export KIOSK_BUILD_WORK="$WORK" KIOSK_IMAGE_BUILD="$HERE" KIOSK_ARCH="$ARCH" KIOSK_OUT="$OUTDIR/$NAME"

# Hooks run on the host with the new root as "$1"; mmdebstrap has /proc, /sys and /dev
# mounted inside it for their chroot calls. Each hook is a script of its own so that
# tests/image can re-run the app and unit steps on a cached root filesystem.
mmdebstrap \
    --mode=root \
    --variant=minbase \
    --architectures="$ARCH" \
    --include="$PACKAGES" \
    "${APT_OPTS[@]}" \
    --customize-hook='tar -C "$KIOSK_IMAGE_BUILD/files" --owner=0 --group=0 --numeric-owner -cf - . | tar -C "$1" --no-overwrite-dir -xf -' \
    --customize-hook='"$KIOSK_IMAGE_BUILD/hooks/configure-system.sh" "$1" "$KIOSK_ARCH" "$KIOSK_BUILD_WORK/build-info"' \
    --customize-hook='"$KIOSK_IMAGE_BUILD/hooks/install-app.sh" "$1" "$KIOSK_BUILD_WORK/src.tar"' \
    --customize-hook='"$KIOSK_IMAGE_BUILD/hooks/install-units.sh" "$1"' \
    --customize-hook='"$KIOSK_IMAGE_BUILD/hooks/finalize.sh" "$1"' \
    --customize-hook='chroot "$1" dpkg-query -W -f "\${Package}\t\${Version}\t\${Architecture}\n" > "$KIOSK_OUT.packages"' \
    --customize-hook='cp "$1/etc/kiosk-image/python-packages.txt" "$KIOSK_OUT.python"' \
    "$SUITE" "$WORK/$NAME.tar" "${SOURCES[@]}"

mv "$WORK/$NAME.tar" "$OUTDIR/$NAME.tar"
echo "built $OUTDIR/$NAME.tar"
