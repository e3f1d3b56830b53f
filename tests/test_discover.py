"""Which files are the vault's (SPEC §2): ignores, excludes, links, and a real Obsidian vault."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from goalsite.config import Config
from goalsite.discover import discover
from goalsite.load import load_vault

KEPANO = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "obsidian-kepano"


def test_hidden_tooling_output_and_editor_files_are_ignored(tmp_path: Path, write) -> None:
    kept = ["goals/a.md", "goals/deep/er/b.md", "journal/2026-01-01.md", "notes.md"]
    ignored = [
        ".git/x.md", ".obsidian/workspace.md", ".hidden/x.md", "goals/.hidden.md", "_site/index.md",
        "templates/goal.md", "Templates/Goal.md", "goals/assets/x.md", "node_modules/pkg/README.md",
        "goals/.a.md.swp", "goals/.a.md.swo", "goals/a.md~", "goals/#a.md#", "goals/.#a.md",
        "goals/a.txt", "goals/a.markdown", "archive/old.md", "goals/draft-x.md",
    ]
    for path in kept + ignored:
        write(path, "---\ntitle: x\n---\n")
    found = discover(tmp_path, Config(exclude=("archive", "goals/draft-*")))
    assert found.files == tuple(kept)
    assert found.findings == ()


def test_the_configured_output_folder_is_ignored(tmp_path: Path, write) -> None:
    write("public/site/index.md", "x")
    write("goals/a.md", "x")
    assert discover(tmp_path, Config(output="public/site")).files == ("goals/a.md",)


def test_exclude_globs_cross_folders_with_double_star(tmp_path: Path, write) -> None:
    for path in ["goals/2024/old.md", "goals/2025/a/old.md", "goals/keep.md", "old.md"]:
        write(path, "x")
    found = discover(tmp_path, Config(exclude=("**/old.md",)))
    assert found.files == ("goals/keep.md",)


def test_a_link_inside_the_vault_is_followed_once(tmp_path: Path, write) -> None:
    write("shared/goal.md", "x")
    (tmp_path / "goals").mkdir()
    (tmp_path / "goals" / "linked").symlink_to(tmp_path / "shared")
    assert discover(tmp_path, Config()).files == ("goals/linked/goal.md",)


def kepano_copy(tmp_path: Path) -> Path:
    if not KEPANO.is_dir():
        print(f"skipped: {KEPANO} is absent (a user's clone has no ../shared/corpora)")
        pytest.skip(f"{KEPANO} is absent (a user's clone has no ../shared/corpora)")
    target = tmp_path / "kepano"
    shutil.copytree(KEPANO, target, symlinks=True)
    return target


def test_a_real_obsidian_vault_loads_as_it_is(tmp_path: Path) -> None:
    vault = load_vault(kepano_copy(tmp_path))
    assert len(vault.files) == 51
    assert not any(path.startswith((".obsidian/", "Templates/")) for path in vault.files)
    # Notes outside goals/ and journal/ that declare no type are not goalsite's business.
    assert (vault.goals, vault.entries, vault.findings) == ((), (), ())


def test_a_real_obsidian_vault_with_notes_as_goals_and_daily_as_journal(tmp_path: Path) -> None:
    root = kepano_copy(tmp_path)
    (root / "goalsite.toml").write_text('goals = "Notes"\njournal = "Daily"\n', encoding="utf-8")
    vault = load_vault(root)
    assert not any(f.path.startswith(".obsidian/") for f in vault.findings)
    assert [goal.id for goal in vault.goals] == [
        "2023-09-12-meeting-with-steph", "2023-japan-trip",
        "evergreen-notes-turn-ideas-into-objects-that-you-can-manipulate", "minimal-theme"]
    errors = sorted({(f.path, f.code) for f in vault.findings if f.severity == "error"})
    assert errors == [
        ("Daily/2023-09-12.md", "F007"), ("Daily/2023-09-30.md", "F007"),
        ("Notes/2023-09-12 Meeting with Steph.md", "F002"),
        ("Notes/Evergreen notes turn ideas into objects that you can manipulate.md", "F002"),
        ("Notes/Minimal Theme.md", "F002"), ("Notes/Product usage analysis.md", "F007"),
    ]
    unknown = {f.message for f in vault.findings if f.code == "F010"}
    assert "`categories` is not a goal field — did you mean `category`?" in unknown
