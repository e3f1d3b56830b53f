"""A non-editable install carries the templates and the stylesheet (issue 3): the wheel is built
from a copy of the sources, unpacked as pip would install it, and renders a site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, TODAY

TEMPLATES = REPO / "templates"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of the working tree, built without touching it (no build/ or egg-info there)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    # symlinks=True keeps goalsite/templates a link to ../templates, as in a clone.
    shutil.copytree(REPO / "goalsite", source / "goalsite", symlinks=True, ignore=ignore)
    shutil.copytree(TEMPLATES, source / "templates", ignore=ignore)
    # What `pip wheel --no-build-isolation` runs, without pip's own start-up time.
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from setuptools import build_meta; "
         "build_meta.build_wheel(sys.argv[1])", str(work / "dist")],
        cwd=source, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (built,) = (work / "dist").glob("goalsite-*.whl")
    return built


def test_the_wheel_holds_every_module_every_template_and_the_stylesheet(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"goalsite/templates/{path.relative_to(TEMPLATES).as_posix()}"
                for path in TEMPLATES.rglob("*") if path.is_file() and "__pycache__" not in path.parts}
    assert "goalsite/templates/assets/style.css" in expected
    assert "goalsite/templates/base.html" in expected
    assert expected <= names, sorted(expected - names)
    modules = {path.relative_to(REPO).as_posix() for path in (REPO / "goalsite").rglob("*.py")
               if "templates" not in path.parts}
    assert {"goalsite/__main__.py", "goalsite/lint/__init__.py", "goalsite/site/__init__.py"} <= modules
    assert modules <= names, sorted(modules - names)
    assert any(name.endswith(".dist-info/entry_points.txt") for name in names)


def test_the_installed_wheel_renders_a_site_with_its_own_templates(
        wheel: Path, tmp_path: Path, write) -> None:
    # A pure-Python wheel installs by unpacking it. `python -S` skips the .pth files of the
    # test environment, among them the editable install of the working tree, so `goalsite`
    # can only come from the unpacked wheel; its dependencies come from site-packages.
    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    path = os.pathsep.join([str(installed), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    environment = {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1"}
    write("vault/goals/talks.md", "---\ntitle: Give 5 talks\nstart: 2026-01-01\ndue: 2026-06-30\n---\n")
    done = subprocess.run(
        [sys.executable, "-S", "-c", RUN_FROM_THE_WHEEL, "--today", TODAY, "build",
         str(tmp_path / "vault"), "-o", str(tmp_path / "site")],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == str(installed / "goalsite" / "templates")
    assert "Give 5 talks" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "assets" / "style.css").read_bytes() == \
        (TEMPLATES / "assets" / "style.css").read_bytes()


RUN_FROM_THE_WHEEL = """
import sys
import goalsite.site.templates
print(goalsite.site.templates.PACKAGED_TEMPLATES)
sys.argv[0] = "goalsite"
from goalsite.cli import run
run()
"""
