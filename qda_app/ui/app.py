"""`qda-app`: start the desktop program, optionally with a project to open."""

import argparse
import sys
from collections.abc import Sequence

from qda_app import __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qda-app", description="QDA App desktop program")
    parser.add_argument("project", nargs="?", help="a .qda file or a postgresql:// URL to open")
    parser.add_argument(
        "--language", choices=["de", "en"], help="language of the program (default: the system's)"
    )
    parser.add_argument("--version", action="version", version=f"qda-app {__version__}")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication, QMessageBox

    from qda_app.domain.errors import QdaError
    from qda_app.services.project import open_project
    from qda_app.ui.main_window import MainWindow
    from qda_app.ui.translations import install_translator

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_translator(app, args.language)
    window = MainWindow()
    if args.project:
        try:
            window.set_project(open_project(args.project))
        except QdaError as error:
            QMessageBox.warning(window, "QDA App", str(error))
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
