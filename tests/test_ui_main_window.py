"""The main window on a small real project, offscreen."""

import pytest

from qda_app.services import codes, documents
from qda_app.services.coders import use_coder
from qda_app.services.project import create_project

pytest.importorskip("PySide6")

from qda_app.ui.main_window import MainWindow


@pytest.fixture
def sqlite_project(tmp_path):
    project = create_project(str(tmp_path / "ui.qda"), name="Familien Neukölln")
    use_coder(project, "Tester")
    documents.add_document(project, "Gespräch 1", "I: Wie geht es Ihnen?\nB: Gut.")
    codes.add_code(project, "Bedarfe")
    return project


def test_window_shows_counts_and_undoes_through_services(qtbot, sqlite_project):
    window = MainWindow(sqlite_project)
    qtbot.addWidget(window)
    assert "Familien Neukölln" in window.overview.text()
    assert "1 documents" in window.overview.text()
    assert "1 codes" in window.overview.text()
    assert window.undo_action.isEnabled()
    assert "Bedarfe" in window.undo_action.text()

    window.undo_action.trigger()
    assert "0 codes" in window.overview.text()
    assert window.redo_action.isEnabled()
    window.redo_action.trigger()
    assert "1 codes" in window.overview.text()


def test_window_without_project_disables_undo(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.undo_action.isEnabled()
    assert "No project open" in window.overview.text()


def test_window_speaks_german_when_asked(qtbot, sqlite_project, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from qda_app.ui.translations import install_translator

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = QApplication.instance()
    assert install_translator(app, "de") == "de"
    try:
        window = MainWindow(sqlite_project)
        qtbot.addWidget(window)
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus == ["&Datei", "&Bearbeiten"]
        assert "1 Dokumente · 1 Codes" in window.overview.text()
        assert window.undo_action.text().startswith("&Rückgängig")
        assert list((tmp_path / "cache" / "qda-app" / "i18n").glob("qda_app_de-*.qm"))
    finally:
        install_translator(app, "en")
