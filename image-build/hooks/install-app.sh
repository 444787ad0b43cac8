#!/bin/bash
# mmdebstrap customize hook: the application in its own venv at /opt/kiosk/venv, from a
# wheel built inside the new root (its Python, its glibc) out of this repository.
#   install-app.sh ROOT SRC_TAR             wheel + dependencies from PyPI (the build)
#   install-app.sh ROOT SRC_TAR --app-only  only replace the app's wheel (tests/image on a
#                                           cached root filesystem)
# Dependencies are pinned by image-build/constraints-SUITE.txt when it exists. KIOSK_EXTRAS
# (default "camera": a card works with whichever scanner its settings file names) are the
# package's extras the venv gets; KIOSK_EXTRAS= leaves the camera stack out.
# KIOSK_WHEELHOUSE (set by build-rootfs.sh for a foreign ARCH): a folder of wheels for the
# target that fetch-wheels.sh fetched on the build host; the venv is then installed offline
# from it, so nothing is compiled under emulation, and evdev (no wheels) comes from
# Debian's python3-evdev through --system-site-packages.
set -euo pipefail
root=$1
src_tar=$2
mode=${3:-full}
here=$(cd "$(dirname "$0")/.." && pwd)
venv=/opt/kiosk/venv
build=/tmp/kiosk-build

rm -rf "$root$build"
install -d "$root$build/src" "$root$build/wheels"
tar -C "$root$build/src" -xf "$src_tar"

# The wheel's file times: the commit's, as in build-rootfs.sh.
source_date_epoch=${SOURCE_DATE_EPOCH:-$(git -C "$here/.." log -1 --format=%ct)}
# The app refuses to lend on a clock before its build date (kiosk.BUILD_DATE): the
# commit's day, so two builds of one commit stay the same.
build_date=$(date -u -d "@$source_date_epoch" +%F)
sed -i "s/^BUILD_DATE = .*/BUILD_DATE = \"$build_date\"/" "$root$build/src/kiosk/__init__.py"
grep -qx "BUILD_DATE = \"$build_date\"" "$root$build/src/kiosk/__init__.py"
pip_env=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
         SOURCE_DATE_EPOCH="$source_date_epoch" PIP_DISABLE_PIP_VERSION_CHECK=1
         PIP_NO_CACHE_DIR=1 PIP_DEFAULT_TIMEOUT=120)
if [ -n "${PIP_CERT:-}" ]; then
    # This network's CA for pip only: copied in for the build, removed with $build.
    cp "$PIP_CERT" "$root$build/ca.pem"
    pip_env+=(PIP_CERT="$build/ca.pem")
fi
# Pins are per suite: each suite's Python takes different versions (numpy drops old ones).
# shellcheck source=/dev/null
suite=$(. "$root/etc/os-release" && echo "$VERSION_CODENAME")
constraints=()
if [ -f "$here/constraints-$suite.txt" ]; then
    if [ -n "${KIOSK_WHEELHOUSE:-}" ]; then
        grep -v -E '^evdev==' "$here/constraints-$suite.txt" >"$root$build/constraints.txt"
    else
        cp "$here/constraints-$suite.txt" "$root$build/constraints.txt"
    fi
    constraints=(--constraint "$build/constraints.txt")
else
    echo "install-app.sh: warning: no constraints-$suite.txt, Python packages not pinned" >&2
fi

build_packages=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/packages-build.txt" | grep -v '^$' | tr '\n' ' ')
venv_opts=()
if [ -n "${KIOSK_WHEELHOUSE:-}" ]; then
    cp -r "$KIOSK_WHEELHOUSE" "$root$build/wheelhouse"
    pip_env+=(PIP_NO_INDEX=1 PIP_FIND_LINKS="$build/wheelhouse")
    venv_opts=(--system-site-packages)
    build_packages=python3-evdev
fi
if [ "$mode" = full ]; then
    chroot "$root" python3 -m venv "${venv_opts[@]}" "$venv"
    # evdev ships no wheel: a compiler for the duration of the install, purged after (a
    # foreign build installs Debian's python3-evdev instead, and keeps it).
    chroot "$root" apt-get update -qq
    # shellcheck disable=SC2086
    chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $build_packages >/dev/null
fi

chroot "$root" "${pip_env[@]}" "$venv/bin/pip" wheel --quiet --no-deps "${constraints[@]}" \
    --wheel-dir "$build/wheels" "$build/src"
wheel=$(cd "$root$build/wheels" && ls commune_library_kiosk-*.whl)
if [ "$mode" = full ]; then
    extras=${KIOSK_EXTRAS-camera}
    chroot "$root" "${pip_env[@]}" "$venv/bin/pip" install --quiet "${constraints[@]}" \
        "$build/wheels/$wheel${extras:+[$extras]}"
    if [ -z "${KIOSK_WHEELHOUSE:-}" ]; then
        # shellcheck disable=SC2086
        chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq --autoremove $build_packages >/dev/null
    fi
    chroot "$root" apt-get clean
    rm -rf "$root"/var/lib/apt/lists/*
else
    chroot "$root" "${pip_env[@]}" "$venv/bin/pip" install --quiet --no-deps --force-reinstall \
        "$build/wheels/$wheel"
fi

chroot "$root" "$venv/bin/pip" freeze --all --exclude-editable >"$root/etc/kiosk-image/python-packages.txt"
rm -rf "$root$build"
