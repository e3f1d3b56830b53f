"""Speed must not change a byte (issue 10): Markdown with only the rules a body needs renders as
with every rule on; excerpts from the cache equal excerpts parsed afresh; rendering with one
process and with several, cache cold and warm, makes the same site."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from goalsite.build import Builder
from goalsite.cache import CACHE_FOLDER
from goalsite.config import load_config
from goalsite.frontmatter import split
from goalsite.load import load_vault
from goalsite.site import markdown
from goalsite.site.markdown import MarkdownOptions, MarkdownRenderer
from goalsite.site.parallel import WHOLE_VAULT, RenderedFiles
from goalsite.site.plan import Page, plan_site

EXAMPLE = Path(__file__).resolve().parent.parent / "example-vault"
EVERYTHING = markdown.ALL_FEATURES
CRAFTED = {
    "table": "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "pipe-not-table": "a | b\n\nno table here\n",
    "footnote": "Said[^1] and ^[inline note].\n\n[^1]: The note.\n",
    "tasks": "- [ ] to do\n- [x] done\n- [X] done too\n",
    "strike": "~~gone~~ and ~single~\n",
    "wiki": "See [[goal-a|the goal]] and [[missing]].\n",
    "headings": "# One\n\ntext\n\nTwo\n===\n\n## One\n",
    "html": "<b>bold</b> <script>x()</script>\n",
    "html-block": "<div>\n*block*\n</div>\n\ntext <!-- c -->\n",
    "fences": "```py\nx = 1\n```\n\n~~~\ny\n~~~\n\n``not a fence``\n",
    "quote": "> quoted\n> - in a list\n\nlazy > not a quote\n",
    "indented": "para\n\n    code\n\n- item\n\n      code in item\n\n\tcode after a tab\n",
    "tab-in-indent": "- a\n\n  \t code?\n",
    "reference": "[one][] and [two]\n\n[one]: /a\n[two]: </b> 'title'\n",
    "breaks": "* * *\n\n- - -\n\n___\n\n_ _\n\ntext\n***\n",
    "setext": "Title\n---\n\nOther\n=\n\n- item\n-\n",
    "no-markers": "Just words, nothing else at all.\nAnd a second line.\n",
}


def _bodies() -> dict[str, str]:
    bodies = dict(CRAFTED)
    for path in sorted(EXAMPLE.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        bodies[path.relative_to(EXAMPLE).as_posix()] = split(text).body if text.startswith("---") else text
    return bodies


@pytest.mark.parametrize("options", [MarkdownOptions(), MarkdownOptions(unsafe_html=True, linkify=True)],
                         ids=["default", "html-linkify"])
def test_a_parser_with_only_the_rules_a_body_needs_renders_the_same(options: MarkdownOptions) -> None:
    full = markdown._make_parser(options, EVERYTHING)
    renderer = MarkdownRenderer(options)
    for name, body in _bodies().items():
        env = {"goal_link": lambda goal_id: f"../{goal_id}/" if goal_id == "goal-a" else None}
        chosen = renderer._parser(body)
        assert chosen.render(body, dict(env)) == full.render(body, dict(env)), name


def test_excerpts_from_a_render_equal_excerpts_parsed_afresh() -> None:
    for name, body in _bodies().items():
        fresh = MarkdownRenderer().excerpt(body, 240)
        warmed = MarkdownRenderer()
        warmed.render(body, lambda goal_id: None, top=2, title="Anything")
        assert warmed.excerpt(body, 240) == fresh, name
        handed = MarkdownRenderer()
        handed.add_excerpts(warmed.take_excerpts())
        assert handed.excerpt(body, 240) == fresh, name
        assert handed.excerpt(body, 1000) == MarkdownRenderer().excerpt(body, 1000), name


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _copy_example(to: Path) -> Path:
    shutil.copytree(EXAMPLE, to, ignore=shutil.ignore_patterns(CACHE_FOLDER, "_site"))
    return to


def _edit(vault: Path) -> None:
    """One entry's body and one goal's text changed, as a person saving in an editor would."""
    entry = sorted((vault / "journal").rglob("*.md"))[3]
    entry.write_text(entry.read_text(encoding="utf-8") + "\nAdded later: a [[missing-goal]] link.\n",
                     encoding="utf-8")
    goal = sorted((vault / "goals").rglob("*.md"))[1]
    goal.write_text(goal.read_text(encoding="utf-8") + "\n## Notes\n\n- one more | thing\n",
                    encoding="utf-8")


def test_one_process_and_several_build_the_same_site_cold_and_warm(tmp_path: Path) -> None:
    assert threading.active_count() == 1, "the pool forks only a single-threaded process"
    today = load_config(EXAMPLE)[0].today or dt.date(2026, 11, 23)
    sites = {}
    for jobs in (1, 3):
        vault = _copy_example(tmp_path / f"vault-{jobs}")
        builder = Builder(vault, tmp_path / f"site-{jobs}", today, jobs=jobs)
        cold = builder.build()
        assert cold.pages_rendered > 50
        _edit(vault)
        warm = Builder(vault, tmp_path / f"site-{jobs}", today, jobs=jobs).build()  # cache on disk
        assert 0 < warm.pages_rendered < cold.pages_rendered
        sites[jobs] = (cold, warm, _tree(tmp_path / f"site-{jobs}"))
    assert sites[1][0].files_written == sites[3][0].files_written
    assert sites[1][1].files_written == sites[3][1].files_written
    assert sites[1][2] == sites[3][2]
    # And the warm build is what a cold build of the edited vault makes, on several processes.
    fresh = _copy_example(tmp_path / "vault-fresh")
    _edit(fresh)
    Builder(fresh, tmp_path / "site-fresh", today, jobs=3).build()
    assert _tree(tmp_path / "site-fresh") == sites[1][2]


def test_the_render_pool_forks_and_streams_every_file_once() -> None:
    site_plan = plan_site(load_vault(EXAMPLE))

    def render_page(page: Page) -> bytes:
        return f"{page.output} rendered by {'a worker' if os.getpid() != parent else 'the build'}".encode()

    parent = os.getpid()
    whole = {page.output for page in site_plan.pages if page.view in WHOLE_VAULT}
    assert whole
    for jobs, workers in ((1, 0), (2, 2)):
        files = RenderedFiles(site_plan.pages, render_page, MarkdownRenderer(), jobs)
        seen = dict(files.items())
        assert files.workers == workers
        assert sorted(seen) == [page.output for page in site_plan.pages]
        for output, data in seen.items():
            # The pages that read the whole vault render in the build process, which holds it.
            by = b"the build" if jobs == 1 or output in whole else b"a worker"
            assert data.endswith(by), output
        assert files.digests == {output: hashlib.sha256(data).hexdigest() for output, data in seen.items()}


def test_render_workers_are_replaced_and_the_site_stays_the_same() -> None:
    # A worker's private copies of the model grow with every page it reads; a fresh fork
    # after `recycle` tasks shares the model again (issue 10, memory).
    site_plan = plan_site(load_vault(EXAMPLE))

    def render_page(page: Page) -> bytes:
        return f"{page.output} {os.getpid()}".encode()

    files = RenderedFiles(site_plan.pages, render_page, MarkdownRenderer(), 2, chunk=4, recycle=1)
    seen = dict(files.items())
    assert sorted(seen) == [page.output for page in site_plan.pages]
    pids = {data.rsplit(b" ", 1)[1] for data in seen.values()} - {str(os.getpid()).encode()}
    chunks = -(-sum(page.view not in WHOLE_VAULT for page in site_plan.pages) // 4)
    assert len(pids) >= chunks - 1  # a fresh worker for (nearly) every task


def test_goalsite_help_imports_none_of_the_heavy_libraries() -> None:
    # issue 10: `goalsite --help` starts in well under 150 ms because the commands import what
    # they need inside themselves.
    heavy = {"jinja2", "markdown_it", "mdit_py_plugins", "yaml", "rich", "watchdog", "markupsafe"}
    code = ("import sys, goalsite.cli; print(' '.join(sorted({name.split('.')[0] for name in sys.modules}"
            f" & {heavy!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
