#!/usr/bin/env bash
# One entry point for a fresh Debian 12+/Ubuntu 24.04+ machine:
#   ./dev.sh demo   install what is needed, open the kiosk window on the Tam Nông demo library
#                   (simulated scanner, card reader and printer); without a display, the CLI demo
#   ./dev.sh test   install what is needed, run the whole test suite (extra args go to pytest)
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(
    python3-venv python3-dev gcc linux-libc-dev      # venv; evdev builds from source
    libzbar0                                          # pyzbar barcode decoder
    libusb-1.0-0                                      # USB receipt printers
    fonts-dejavu-core                                 # Vietnamese glyphs for receipt slips
    espeak-ng alsa-utils                              # kiosk read-aloud (vi-vn-x-south), scan sounds (aplay)
    libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0  # Qt offscreen
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0   # Qt on an X desktop
    libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0
    libwayland-client0 libwayland-cursor0 libwayland-egl1                  # Qt on Wayland (cage)
    xvfb                                                                   # a real X display in tests
    ibus ibus-unikey dbus-daemon xdotool              # Vietnamese typing (Telex/VNI) through IBus, typed by xdotool
    tesseract-ocr tesseract-ocr-vie                   # OCR check of printed slips
    chromium chromium-driver                          # browser tests of the district web pages
    nginx openssl                                     # the hub's TLS reverse-proxy recipe, run in tests
    systemd                                           # systemd-analyze verify of the units
    iproute2                                          # network namespaces in the discovery test
    poppler-utils                                     # pdftoppm/pdfinfo: PDF pages in the viewer
    faketime                                          # a kiosk process living in 1970 (clock tests)
)
VENV=.venv
PYTHON=${PYTHON:-python3}

install_system_packages() {
    local missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    # Installing must not start services (nginx would take port 80): tests start their own.
    local policy=/usr/sbin/policy-rc.d made_policy=""
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
        $sudo chmod 755 "$policy"
        made_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    [ -n "$made_policy" ] && $sudo rm -f "$policy"
    return 0
}

install_python_packages() {
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e '.[test,hub,camera]'
        touch "$stamp"
    fi
}

demo() {
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        # A desktop: the kiosk window on the embedded demo library, with simulated devices.
        exec "$VENV/bin/kiosk" run --demo "$@"
    fi
    echo "No display: showing the demo library from the command line instead of the window."
    local db=demo/demo.db
    export KIOSK_DB="$PWD/$db"
    if [ ! -f "$db" ]; then
        mkdir -p demo
        "$VENV/bin/kiosk" demo --books "${DEMO_BOOKS:-2000}"
    fi
    local kiosk="$VENV/bin/kiosk"
    local card
    card=$("$kiosk" patron list --json | "$VENV/bin/python" -c \
        'import json,sys; ps=[p for p in json.load(sys.stdin) if p["has_pin"]]; print(ps[0]["card_number"])')
    echo; echo "== Tìm sách không dấu: kiosk search 'de men' =="
    "$kiosk" search "de men" --limit 3
    echo; echo "== Bạn đọc $card =="
    "$kiosk" patron show "$card"
    echo; echo "== Thống kê tháng này =="
    "$kiosk" stats
    echo
    echo "Thư viện mẫu: $db. Thử tiếp, ví dụ:"
    echo "  export KIOSK_DB=$PWD/$db"
    echo "  $kiosk search 'dong thap'        $kiosk loans --overdue"
    echo "  $kiosk hold shelf                $kiosk devices"
}

cmd=${1:-}
shift || true
case "$cmd" in
    demo) install_system_packages; install_python_packages; demo "$@" ;;
    test) install_system_packages; install_python_packages; exec "$VENV/bin/python" -m pytest "$@" ;;
    *) echo "usage: $0 demo|test [pytest args]" >&2; exit 2 ;;
esac
