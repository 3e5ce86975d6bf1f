"""Before the window starts on Linux: can Qt's xcb platform plugin load? If not, say which packages to install.

Qt 6.5+ needs a set of X libraries that a fresh desktop or a minimal image often lacks (`libxcb-cursor0` first of
all); Qt itself then aborts with "Could not load the Qt platform plugin xcb". `make run` calls this first
(`python -m mediator_app.ui.platform_check`): it lists what the plugin is linked against and cannot find (`ldd`),
plus the cursor library Qt opens at run time, and prints the exact `apt-get` and `dnf` lines. Exit 0 when all is
there (or not Linux, or another platform is chosen in QT_QPA_PLATFORM), 1 with the lines on stderr.
"""
from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable, Sequence

#: library soname -> (Debian/Ubuntu package, Fedora/RHEL package)
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
}
#: Everything Qt's xcb plugin needs, for the README (and for a library not in PACKAGES).
ALL_APT = ("libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-randr0 "
           "libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libfontconfig1 libdbus-1-3")
ALL_DNF = ("xcb-util-cursor xcb-util-wm xcb-util-image xcb-util-keysyms xcb-util-renderutil libxcb "
           "libxkbcommon-x11 libglvnd-egl fontconfig dbus-libs")
#: Opened by Qt at run time (not linked, so `ldd` does not list it); Qt 6.5+ refuses xcb without it.
RUNTIME = ("libxcb-cursor.so.0",)


def plugin_paths() -> list[Path]:
    """The xcb platform plugin and Qt's xcb support library, in the PySide6 wheel."""
    import PySide6  # the package only: no Qt library is loaded

    qt = Path(PySide6.__file__).resolve().parent / "Qt"
    return [p for p in (qt / "plugins" / "platforms" / "libqxcb.so", *sorted((qt / "lib").glob("libQt6XcbQpa.so*")))
            if p.is_file()][:2]


def run_ldd(path: Path) -> str:
    done = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False)
    return done.stdout


def not_found(ldd_output: str) -> list[str]:
    """The sonames `ldd` reports as `=> not found`, in order, once each."""
    missing: list[str] = []
    for line in ldd_output.splitlines():
        name, _, rest = line.strip().partition(" => ")
        if rest.strip() == "not found" and name not in missing:
            missing.append(name)
    return missing


def runtime_missing(find: Callable[[str], str | None] = ctypes.util.find_library) -> list[str]:
    """The libraries Qt opens at run time that the system cannot find."""
    return [soname for soname in RUNTIME if find(soname.removeprefix("lib").split(".so")[0]) is None]


def install_lines(missing: Sequence[str]) -> tuple[str, str]:
    """(apt-get line, dnf line) that install the packages holding `missing` (the whole set for unknown ones)."""
    apt: list[str] = []
    dnf: list[str] = []
    for soname in missing:
        debian, fedora = PACKAGES.get(soname, (ALL_APT, ALL_DNF))
        for names, out in ((debian, apt), (fedora, dnf)):
            for name in names.split():
                if name not in out:
                    out.append(name)
    return f"sudo apt-get install {' '.join(apt)}", f"sudo dnf install {' '.join(dnf)}"


def message(missing: Sequence[str]) -> str:
    apt, dnf = install_lines(missing)
    return ("The window cannot start: Qt's X11 (xcb) platform plugin needs libraries this system lacks: "
            f"{', '.join(missing)}.\n"
            f"On Debian or Ubuntu:\n  {apt}\n"
            f"On Fedora or RHEL:\n  {dnf}\n"
            "Then run `make run` again. (Without a display, QT_QPA_PLATFORM=offscreen renders offscreen.)")


def check(platform: str = sys.platform, environ: dict[str, str] | os._Environ[str] = os.environ,
          ldd: Callable[[Path], str] = run_ldd, paths: Callable[[], list[Path]] = plugin_paths,
          find: Callable[[str], str | None] = ctypes.util.find_library) -> list[str]:
    """The missing libraries (empty when the xcb plugin can load, or when it is not the one that will be used)."""
    if not platform.startswith("linux"):
        return []
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith("xcb"):
        return []  # offscreen, wayland, vnc …: not the xcb plugin
    if not chosen and environ.get("WAYLAND_DISPLAY") and not environ.get("DISPLAY"):
        return []  # Qt picks wayland
    missing: list[str] = []
    for path in paths():
        for soname in not_found(ldd(path)):
            if soname not in missing:
                missing.append(soname)
    return missing + [s for s in runtime_missing(find) if s not in missing]


def main(argv: Sequence[str] | None = None) -> int:
    missing = check()
    if missing:
        print(message(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
