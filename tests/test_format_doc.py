"""docs/format.md stays in step with goalsite/fields.py, and its examples load cleanly.

Run with GOALSITE_UPDATE_DOCS=1 to rewrite the generated tables.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from goalsite.fields import ENTRY_FIELD, GOAL_FIELD, render_format_doc
from goalsite.load import load_vault
from tests.conftest import REPO

FORMAT_DOC = REPO / "docs" / "format.md"


def test_the_field_tables_are_generated_from_fields_py() -> None:
    text = FORMAT_DOC.read_text(encoding="utf-8")
    wanted = render_format_doc(text)
    if wanted != text and os.environ.get("GOALSITE_UPDATE_DOCS") == "1":
        FORMAT_DOC.write_text(wanted, encoding="utf-8")
        text = wanted
    assert text == wanted, "docs/format.md is out of date: run GOALSITE_UPDATE_DOCS=1 pytest tests/test_format_doc.py"


def test_the_examples_load_without_findings_and_use_every_field(tmp_path: Path) -> None:
    text = FORMAT_DOC.read_text(encoding="utf-8")
    examples = re.findall(r"<!-- example: (\S+) -->\n```markdown\n(.*?)```", text, re.DOTALL)
    assert [path for path, _ in examples] == ["goals/company-presentations.md",
                                             "journal/2026/02-14-all-hands.md"]
    for path, body in examples:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(body, encoding="utf-8")
    (tmp_path / "goals" / "senior-leadership.md").write_text("---\ntitle: Senior leadership\n---\n")
    vault = load_vault(tmp_path)
    assert vault.findings == ()
    goal = vault.goal("company-presentations")
    assert goal is not None
    assert goal.given == frozenset(GOAL_FIELD) - {"type", "measure", "url"}
    assert [m.key for m in goal.measures] == ["talks", "feedback"]
    entry = vault.entries[0]
    assert entry.values_for(goal)["feedback"].number == 4.3
    assert entry.given <= frozenset(ENTRY_FIELD)
