"""The README's first command on a desktop: the demo window on a real X server (Xvfb),
through Qt's xcb platform plugin rather than offscreen rendering."""

import os
import shutil
import subprocess
import sys
import time



def free_display() -> int:
    for number in range(90, 140):
        if not os.path.exists(f"/tmp/.X11-unix/X{number}") and not os.path.exists(f"/tmp/.X{number}-lock"):
            return number
    raise AssertionError("no free X display number")


def test_the_demo_window_starts_and_stays_up_on_a_real_x_display(tmp_path):
    assert shutil.which("Xvfb"), "Xvfb missing: ./dev.sh installs the xvfb package"
    display = free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not os.path.exists(f"/tmp/.X11-unix/X{display}") and time.monotonic() < deadline:
            time.sleep(0.1)
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env.update(DISPLAY=f":{display}", XDG_CACHE_HOME=str(tmp_path), KIOSK_CONFIG="/nonexistent")
        kiosk = subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--demo"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            kiosk.wait(20)
            raise AssertionError(f"the window exited on its own:\n{kiosk.stderr.read()}")
        except subprocess.TimeoutExpired:
            pass
        kiosk.terminate()
        out, err = kiosk.communicate(timeout=20)
        assert "platform plugin" not in err, err
        assert kiosk.returncode in (0, -15), err
    finally:
        xvfb.terminate()
        xvfb.wait(10)
