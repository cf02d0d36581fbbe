from qda_app.services import codes, codings, documents
from qda_app.services.project import project_summary, undo


def test_add_coding_and_undo(project):
    document = documents.add_document(project, "Interview", "I: Hallo\nB: Die Miete ist hoch.").value
    code = codes.add_code(project, "Wohnen").value
    codings.add_coding(project, document.id, code.id, 12, 30)
    assert project_summary(project).codings == 1
    undo(project)
    assert project_summary(project).codings == 0
