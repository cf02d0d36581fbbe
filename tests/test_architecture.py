"""The layers of DESIGN.md hold: import-linter contracts, and a fast, light `qda` start."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold():
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower() or " 0 broken" in result.stdout


def test_cli_start_imports_no_heavy_library():
    code = (
        "import sys; import qda_app.cli as c; c.build_parser(); "
        "heavy = [m for m in ('PySide6', 'sklearn', 'nltk', 'matplotlib', 'docx', 'pypdf') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_no_module_over_600_lines():
    long = [
        f"{path.relative_to(ROOT)} ({count})"
        for path in (ROOT / "qda_app").rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 600
    ]
    assert long == []
