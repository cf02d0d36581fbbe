"""The main window: for now a project's overview with open/create and undo/redo.

The workbench (document list, transcript view, code tree) comes with its own issue; this window
already goes through the services for everything, like the CLI does.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox

from qda_app.domain.errors import QdaError
from qda_app.services.project import (
    Project,
    create_project,
    open_project,
    project_summary,
    redo,
    undo,
)


class MainWindow(QMainWindow):
    def __init__(self, project: Project | None = None) -> None:
        super().__init__()
        self.project: Project | None = None
        self.setWindowTitle(self.tr("QDA App"))
        self.resize(900, 600)
        self.overview = QLabel()
        self.overview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.overview.setTextFormat(Qt.TextFormat.PlainText)
        self.setCentralWidget(self.overview)
        self._build_menus()
        self.set_project(project)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.new_action = self._action(self.tr("&New project…"), QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.choose_new_project)
        self.open_action = self._action(self.tr("&Open project…"), QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_project)
        quit_action = self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (self.new_action, self.open_action, quit_action):
            file_menu.addAction(action)
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.undo_action = self._action(self.tr("&Undo"), QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = self._action(self.tr("&Redo"), QKeySequence.StandardKey.Redo)
        self.redo_action.triggered.connect(self.redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

    def _action(self, text: str, shortcut: QKeySequence.StandardKey) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        return action

    def set_project(self, project: Project | None) -> None:
        if self.project is not None and self.project is not project:
            self.project.close()
        self.project = project
        self.refresh()

    def refresh(self) -> None:
        """Show the project's counts and keep undo/redo labels in step with the history."""
        if self.project is None:
            self.overview.setText(self.tr("No project open. Use File › Open project…"))
            self.undo_action.setEnabled(False)
            self.redo_action.setEnabled(False)
            return
        summary = project_summary(self.project)
        self.setWindowTitle(self.tr("{name} – QDA App").format(name=summary.name))
        self.overview.setText(
            self.tr(
                "{name}\n\n{documents} documents · {codes} codes · {codings} codings · "
                "{coders} coders · {cases} cases"
            ).format(
                name=summary.name,
                documents=summary.documents,
                codes=summary.codes,
                codings=summary.codings,
                coders=summary.coders,
                cases=summary.cases,
            )
        )
        history = self.project.history
        self.undo_action.setEnabled(history.can_undo)
        self.redo_action.setEnabled(history.can_redo)
        self.undo_action.setText(
            self.tr("&Undo {what}").format(what=history.undo_description)
            if history.can_undo
            else self.tr("&Undo")
        )
        self.redo_action.setText(
            self.tr("&Redo {what}").format(what=history.redo_description)
            if history.can_redo
            else self.tr("&Redo")
        )

    def _run(self, job: "object") -> None:
        try:
            job()  # type: ignore[operator]
        except QdaError as error:
            QMessageBox.warning(self, self.tr("QDA App"), str(error))
        self.refresh()

    def undo(self) -> None:
        if self.project is not None:
            self._run(lambda: undo(self.project))

    def redo(self) -> None:
        if self.project is not None:
            self._run(lambda: redo(self.project))

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open project"), "", self.tr("QDA projects (*.qda)")
        )
        if path:
            self._run(lambda: self.set_project(open_project(path)))

    def choose_new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("New project"), "", self.tr("QDA projects (*.qda)")
        )
        if path:
            if not path.endswith(".qda"):
                path += ".qda"
            self._run(lambda: self.set_project(create_project(path)))

    def closeEvent(self, event: "object") -> None:
        if self.project is not None:
            self.project.close()
            self.project = None
        super().closeEvent(event)  # type: ignore[arg-type]
