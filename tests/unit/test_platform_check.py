"""`make run`'s check of Qt's xcb plugin on Linux: the missing libraries named, the exact install lines, exit 1.

The `ldd` answers here are the real ones of the session VM (libqxcb.so without libxcb-icccm4 and libxcb-keysyms1,
where Qt aborts with "Could not load the Qt platform plugin xcb"); the last test asks the real `ldd`."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mediator_app.ui import platform_check

LDD_VM = """\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f)
"""
PLUGINS = lambda: [Path("libqxcb.so"), Path("libQt6XcbQpa.so.6")]  # noqa: E731
ALL_FOUND = lambda name: f"lib{name}.so"  # noqa: E731


def test_missing_libraries_are_named_with_the_apt_and_dnf_lines() -> None:
    missing = platform_check.check("linux", {"DISPLAY": ":0"}, lambda _p: LDD_VM, PLUGINS, ALL_FOUND)
    assert missing == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    text = platform_check.message(missing)
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n" in text
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms\n" in text


def test_the_cursor_library_qt_opens_at_run_time_is_checked_too() -> None:
    missing = platform_check.check("linux", {}, lambda _p: "", PLUGINS, lambda name: None)
    assert missing == ["libxcb-cursor.so.0"]
    assert platform_check.install_lines(missing) == ("sudo apt-get install libxcb-cursor0",
                                                     "sudo dnf install xcb-util-cursor")


@pytest.mark.parametrize("platform,environ", [
    ("darwin", {}), ("win32", {}), ("linux", {"QT_QPA_PLATFORM": "offscreen"}),
    ("linux", {"WAYLAND_DISPLAY": "wayland-0"}),
])
def test_nothing_is_checked_where_the_xcb_plugin_is_not_used(platform: str, environ: dict[str, str]) -> None:
    assert platform_check.check(platform, environ, lambda _p: LDD_VM, PLUGINS, lambda name: None) == []


def test_an_unknown_library_asks_for_the_whole_set() -> None:
    apt, dnf = platform_check.install_lines(["libxcb-something.so.9"])
    assert apt == "sudo apt-get install " + platform_check.ALL_APT
    assert dnf == "sudo dnf install " + platform_check.ALL_DNF


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("ldd") is None, reason="needs Linux ldd")
def test_the_command_agrees_with_ldd_on_this_machine() -> None:
    """Exit 1 with the install lines exactly when the real plugin misses a library (offscreen skips the check)."""
    missing = platform_check.check("linux", {"DISPLAY": ":0"})
    done = subprocess.run([sys.executable, "-m", "mediator_app.ui.platform_check"], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "DISPLAY": ":0", "PYTHONPATH": str(Path.cwd())})
    assert done.returncode == (1 if missing else 0)
    if missing:
        assert "sudo apt-get install" in done.stderr and "sudo dnf install" in done.stderr
    offscreen = subprocess.run([sys.executable, "-m", "mediator_app.ui.platform_check"], capture_output=True,
                               env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
                                    "PYTHONPATH": str(Path.cwd())})
    assert offscreen.returncode == 0
