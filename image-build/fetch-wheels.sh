#!/bin/bash
# The venv's Python packages as wheels for another architecture, fetched on the build host:
#
#   image-build/fetch-wheels.sh ARCH SUITE OUTDIR
#
# so that a foreign build (arm64 on an x86_64 machine) installs them offline inside the
# emulated chroot and compiles nothing there. The requirements are pyproject.toml's
# dependencies (with KIOSK_EXTRAS, default "camera", as install-app.sh), pinned by
# constraints-SUITE.txt; each is fetched with its dependencies as binary wheels for SUITE's
# Python and glibc. evdev publishes no wheels: the image takes Debian's python3-evdev
# (packages-foreign.txt) and the venv sees it through --system-site-packages.
# Prints the wheels' total size.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 ARCH SUITE OUTDIR" >&2; exit 2; }
ARCH=$1
SUITE=$2
OUT=$3
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
EXTRAS=${KIOSK_EXTRAS-camera}

case "$ARCH" in
    arm64) machine=aarch64 ;;
    amd64) machine=x86_64 ;;
    *) echo "fetch-wheels.sh: unknown ARCH $ARCH" >&2; exit 2 ;;
esac
# Each suite's Python and glibc: which wheels its venv can load.
case "$SUITE" in
    trixie) python=3.13 glibc=41 ;;
    bookworm) python=3.11 glibc=36 ;;
    *) echo "fetch-wheels.sh: add $SUITE's Python and glibc here" >&2; exit 2 ;;
esac
abi=cp${python/./}

platforms=(--platform "manylinux2014_$machine" --platform "linux_$machine")
for minor in $(seq 17 "$glibc"); do
    platforms+=(--platform "manylinux_2_${minor}_$machine")
done

mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The dependencies pyproject.toml declares, without the ones that ship no wheel.
python3 - "$REPO/pyproject.toml" "$EXTRAS" >"$WORK/requirements.txt" <<'PY'
import re, sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
wanted = list(project["dependencies"])
for extra in filter(None, sys.argv[2].split(",")):
    wanted += project["optional-dependencies"][extra]
for requirement in wanted:
    if re.match(r"evdev\b", requirement):
        continue
    print(requirement)
PY
constraints=()
if [ -f "$HERE/constraints-$SUITE.txt" ]; then
    grep -v -E '^evdev==' "$HERE/constraints-$SUITE.txt" >"$WORK/constraints.txt"
    constraints=(--constraint "$WORK/constraints.txt")
fi

python3 -m pip download --quiet --disable-pip-version-check --dest "$OUT" \
    --only-binary=:all: "${platforms[@]}" --python-version "$python" --implementation cp \
    --abi "$abi" --abi abi3 --abi none "${constraints[@]}" -r "$WORK/requirements.txt"
# pip wheel and setuptools for the venv's own use (building the app's pure-Python wheel).
python3 -m pip download --quiet --disable-pip-version-check --dest "$OUT" \
    --only-binary=:all: --python-version "$python" --implementation cp --abi none \
    "${platforms[@]}" "${constraints[@]}" "setuptools>=77" wheel

count=$(find "$OUT" -name '*.whl' | wc -l)
echo "fetched $count wheels for $ARCH ($SUITE, Python $python): $(du -sh "$OUT" | cut -f1)"
