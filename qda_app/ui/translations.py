"""German or English by the system locale, with Qt's own translations for standard dialogs."""

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

_keep: list[QTranslator] = []


def install_translator(app: QApplication | QCoreApplication, locale: QLocale | None = None) -> str:
    """Install Qt's base translations for the locale; returns the language chosen ('de'/'en').

    Our own `.qm` catalogue comes with the workbench issue; until then the UI speaks English and
    Qt's standard dialogs follow the system language.
    """
    locale = locale or QLocale.system()
    language = "de" if locale.language() == QLocale.Language.German else "en"
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(locale, "qtbase", "_", path):
        app.installTranslator(translator)
        _keep.append(translator)
    return language
