"""The window's language: Simplified Chinese or English, Qt's own translations with ours, the locale with it.

The sources are Qt Linguist files in `resources/translations/` (`mediator_zh_CN.ts`, English source text); the
install step (`make`) builds them to `.qm` with `pyside6-lrelease`, and `ensure_compiled` builds a missing or
stale one at start, so a fresh clone runs and tests in either language. Qt's own `qtbase_zh_CN.qm` (standard
buttons and dialogs) comes from the PySide6 wheel.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
#: the languages offered: code -> the language's own name (Settings → Language shows these as they are)
LANGUAGES = {"zh_CN": "中文（简体）", "en": "English"}
SETTING = "ui/language"

_installed: list[QTranslator] = []


def lrelease() -> str | None:
    """The `pyside6-lrelease` of this interpreter's PySide6 (beside python in a venv, else on the PATH)."""
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    return str(beside) if beside.exists() else shutil.which("pyside6-lrelease")


def ensure_compiled(language: str) -> Path | None:
    """The `.qm` of `language`, built from its `.ts` when missing or older; None when there is no source."""
    source = TRANSLATIONS / f"mediator_{language}.ts"
    target = source.with_suffix(".qm")
    if not source.exists():
        return None
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        tool = lrelease()
        if tool is None:
            return target if target.exists() else None
        subprocess.run([tool, "-silent", str(source), "-qm", str(target)], check=True, capture_output=True)
    return target


def system_language() -> str:
    """zh_CN when the system's locale is Chinese, else English."""
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def resolve(asked: str | None, saved: object = None) -> str:
    """The language to use: `--lang`, else the one chosen in Settings, else $MEDIATOR_LANG, else the system's."""
    for candidate in (asked, saved, os.environ.get("MEDIATOR_LANG")):
        if isinstance(candidate, str) and candidate in LANGUAGES:
            return candidate
    return system_language()


def locale_of(language: str) -> QLocale:
    return QLocale(QLocale.Language.Chinese, QLocale.Country.China) if language == "zh_CN" \
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def current() -> str:
    return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"


def install(language: str) -> None:
    """Make `language` the application's: remove the translators installed before, load Qt's and ours, and set
    the default QLocale (dates, numbers and money follow it). English needs no translator."""
    app = QCoreApplication.instance()
    for translator in _installed:
        if app is not None:
            app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(locale_of(language))
    if language == "en" or app is None:
        return
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt)
        _installed.append(qt)
    ours_file = ensure_compiled(language)
    ours = QTranslator(app)
    if ours_file is not None and ours.load(str(ours_file)):
        app.installTranslator(ours)
        _installed.append(ours)
