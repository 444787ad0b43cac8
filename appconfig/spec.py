"""Every setting of the appliance, declared once.

``docs/operations.md`` lists them (``tests/test_settings_doc.py`` checks the table against
this list), and ``tests/test_every_setting_takes_effect.py`` proves each one reaches what it
configures.
"""

from __future__ import annotations

from appconfig import Option

K, D, F = "kiosk", "devices", "firstboot"
SCANNER_KINDS = ("fake", "wedge", "evdev", "serial", "camera", "none")
CARD_READER_KINDS = ("fake", "rdm6300", "wedge", "evdev", "none")
TERMINATORS = ("CR", "LF", "CRLF")
CARD_NUMBER_FORMATS = ("decimal10", "wiegand26", "hex")
PAPER_WIDTHS_MM = (58, 80)
ROLES = ("kiosk", "counter")
TYPING_SCHEMES = ("telex", "vni", "off")


def _device(name: str, type_: type, default, description: str, **more) -> Option:
    """A device setting: in ``devices.toml``, in the first-boot file, and ``$KIOSK_<NAME>``."""
    env = "KIOSK_" + name.upper().replace(".", "_")
    return Option(name, type_, default, description, (D, F), env=env, **more)


OPTIONS: tuple[Option, ...] = (
    # kiosk.toml: the program
    Option("db", str, "/var/lib/kiosk/kiosk.db", "Path of this node's SQLite database.", (K,),
           env="KIOSK_DB"),
    Option("log_level", str, "WARNING", "Logging level.", (K,), env="KIOSK_LOG_LEVEL",
           choices=("DEBUG", "INFO", "WARNING", "ERROR")),
    Option("idle_seconds", float, 60.0,
           "Seconds without a touch before a patron session ends (kiosk window).", (K,),
           env="KIOSK_IDLE_SECONDS", minimum=5, maximum=3600),
    Option("staff_idle_seconds", float, 600.0,
           "Seconds without a touch before the staff area locks (its own timeout; an unsaved "
           "cataloguing form is kept).", (K,), env="KIOSK_STAFF_IDLE_SECONDS", minimum=30,
           maximum=7200),
    Option("sound_volume", int, 70, "Volume of the scan sounds, 0-100 (0 = silent).", (K,),
           env="KIOSK_SOUND_VOLUME", minimum=0, maximum=100),
    Option("quiet_hours", str, "",
           "No scan sounds between these times, e.g. 11:00-13:30 (empty = never).", (K,),
           env="KIOSK_QUIET_HOURS", pattern=r"(\d{1,2}:\d{2}-\d{1,2}:\d{2})?"),
    Option("large_text", bool, False,
           "Every patron session starts with large text (it resets to this).", (K,),
           env="KIOSK_LARGE_TEXT"),
    Option("high_contrast", bool, False,
           "Every patron session starts in high contrast (it resets to this).", (K,),
           env="KIOSK_HIGH_CONTRAST"),
    Option("staff_typing", str, "telex",
           "How the counter's Vietnamese text fields take keys: telex, vni or off. A "
           "counter starts IBus's Unikey this way, and the window composes the same way when "
           "no input method runs. The staff area's switch (Kiểu gõ) changes both until the "
           "next start.", (K,), env="KIOSK_STAFF_TYPING", choices=TYPING_SCHEMES),
    # kiosk-settings.toml: who this card is (first boot only)
    Option("role", str, "", "kiosk (self-service) or counter (librarian's desk); required.", (F,),
           choices=ROLES),
    Option("library_code", str, "", "The library's code, e.g. TN-PHUTHO; required.", (F,)),
    Option("district_url", str, "", "The hub's address, http(s)://host[:port]; required.", (F,)),
    Option("enrolment_code", str, "", "One-time code from `district enrol-code` (16 digits).",
           (F,), secret=True),
    Option("timezone", str, "Asia/Ho_Chi_Minh", "Time zone of the device.", (F,)),
    Option("peers", tuple, (), "Other devices of the library to sync with, as URLs.", (F,)),
    Option("device_name", str, "", "Name shown in the device registry (default: hostname).",
           (F,)),
    Option("wifi.ssid", str, "", "Wi-Fi network to join (none: wired only).", (F,)),
    Option("wifi.passphrase", str, "", "WPA2 passphrase, 8-63 printable ASCII characters.", (F,),
           secret=True),
    Option("pins.staff", str, "", "First staff PIN (4-8 digits), stored as a verifier.", (F,),
           secret=True),
    Option("pins.technician", str, "", "First technician PIN, different from the staff PIN.",
           (F,), secret=True),
    # devices.toml (and the same tables in kiosk-settings.toml)
    _device("scanner.kind", str, "fake", "fake | wedge | evdev | serial | camera | none",
            choices=SCANNER_KINDS, provisioned="evdev"),
    _device("scanner.port", str, "", "serial port of a CDC-mode scanner, e.g. /dev/ttyACM0"),
    _device("scanner.terminator", str, "CR", "what ends a code on the serial line: CR, LF or CRLF",
            choices=TERMINATORS),
    _device("scanner.baudrate", int, 9600, "serial speed; CDC scanners ignore it", minimum=1200,
            maximum=921600),
    _device("scanner.device", str, "", "evdev input device, e.g. /dev/input/by-id/...-event-kbd",
            provisioned="/dev/input/kiosk-scanner"),
    _device("card_reader.kind", str, "fake", "fake | rdm6300 | wedge | evdev | none",
            choices=CARD_READER_KINDS, provisioned="none"),
    _device("card_reader.port", str, "", "serial port of an RDM6300, e.g. /dev/ttyUSB0"),
    _device("card_reader.device", str, "", "evdev input device of a HID card reader"),
    _device("card_reader.card_number_format", str, "decimal10",
            "decimal10 | wiegand26 | hex: the number printed on cards",
            choices=CARD_NUMBER_FORMATS),
    _device("card_reader.debounce_seconds", float, 1.0,
            "repeats of one card within this time are one presentation", minimum=0),
    _device("wedge.max_interval_ms", float, 20.0,
            "keys closer than this are scanner keys (scanners: 7-8 ms)", minimum=1),
    _device("wedge.suffix", tuple, ("Enter",),
            "keys that end a scan: Enter and/or Tab; empty = timeout", choices=("Enter", "Tab")),
    _device("wedge.prefix", str, "", "characters the scanner sends before each code, stripped"),
    _device("wedge.min_length", int, 4, "shorter fast bursts are treated as typing", minimum=1),
    _device("camera.enabled", bool, False,
            "whether a camera is attached (scanner.kind = camera implies it)"),
    _device("camera.index", int, 0, "camera number (/dev/videoN)", minimum=0),
    _device("camera.folder", str, "",
            "read frames from this folder of images or this video file instead of a camera"),
    _device("camera.dedup_seconds", float, 2.0,
            "a code held in view is reported again only after this long out of sight",
            minimum=0),
    _device("printer.uri", str, "fake:",
            "file:PATH | tcp:HOST:PORT | usb:VID:PID | serial:DEV | fake:",
            provisioned="usb:0416:5011"),
    _device("printer.paper_width_mm", int, 58, "paper roll width: 58 or 80 (mm)",
            choices=PAPER_WIDTHS_MM),
    _device("hotplug", bool, True, "watch udev for devices being plugged in (needs pyudev)"),
)
