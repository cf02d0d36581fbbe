"""German or English by the system locale, for our strings and Qt's standard dialogs.

Our catalogue ships as its source (`resources/i18n/qda_app_<lang>.ts`, edited with Qt Linguist or
`pyside6-lupdate`); the compiled `.qm` is a generated file, so it is built on first use with the
`lrelease` that comes with PySide6 and kept in the user's cache, keyed by the source's hash.
"""

import hashlib
import os
import subprocess
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

CATALOGUES = Path(__file__).resolve().parent.parent / "resources" / "i18n"
LANGUAGES = ("de", "en")
_installed: list[QTranslator] = []


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qda-app" / "i18n"


def compiled_catalogue(language: str) -> Path | None:
    """The `.qm` for a language, compiled from the shipped `.ts` if needed; None if impossible."""
    source = CATALOGUES / f"qda_app_{language}.ts"
    if not source.exists():
        return None
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = _cache_dir() / f"qda_app_{language}-{digest}.qm"
    if target.exists():
        return target
    lrelease = Path(PySide6.__file__).resolve().parent / "lrelease"
    if not lrelease.exists():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    result = subprocess.run(
        [str(lrelease), "-silent", str(source), "-qm", str(partial)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0 or not partial.exists():
        return None
    partial.replace(target)
    return target


def choose_language(locale: QLocale | None = None) -> str:
    locale = locale or QLocale.system()
    return "de" if locale.language() == QLocale.Language.German else "en"


def install_translator(app: QCoreApplication, language: str | None = None) -> str:
    """Install our catalogue and Qt's own for the language (default: the system's)."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = language or choose_language()
    if language == "en":
        return language
    qt_base = QTranslator(app)
    if qt_base.load(
        f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    catalogue = compiled_catalogue(language)
    ours = QTranslator(app)
    if catalogue is not None and ours.load(str(catalogue)):
        app.installTranslator(ours)
        _installed.append(ours)
    return language
