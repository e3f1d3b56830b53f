"""`goalsite.toml` → a frozen `Config` (SPEC §7). Every key has a default; an unknown key or a
wrong type is a finding with its line, and the default is used in its place."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from goalsite.dates import Duration, parse_duration
from goalsite.finding import SEVERITIES, Finding, Severity

CONFIG_NAME = "goalsite.toml"


# SPEC §2.1: each horizon's span in days, (shortest, longest): long-term 1–3 years, yearly
# 12 months, quarterly 90 days, monthly 30, weekly 7. `[lint.horizons]` changes them.
HORIZON_SPANS: Mapping[str, tuple[int, int]] = {
    "long-term": (365, 1095),
    "yearly": (365, 365),
    "quarterly": (90, 90),
    "monthly": (30, 30),
    "weekly": (7, 7),
}


@dataclass(frozen=True)
class LintConfig:
    """The `[lint]` table: which rules run, how loud, and the thresholds SPEC §4 names."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    # A: the pace needed from today must not exceed this many times the pace seen since start.
    pace_factor: float = 3.0
    # T: due should leave at least this share of the start→deadline span before the deadline.
    min_buffer: float = 0.20
    # A: more active goals than this at one horizon for one owner compete for attention.
    max_active_per_horizon: int = 3
    # T: a goal's duration may stray this far (as a share) from its horizon's span.
    horizon_slack: float = 0.5
    # T: each horizon's usual span in days, (shortest, longest).
    horizons: Mapping[str, tuple[int, int]] = field(default_factory=lambda: dict(HORIZON_SPANS))
    # Where `select`, `ignore` and each `severity.CODE` are written, (line, column), so that
    # the linter can point at a code that names no rule (it alone knows the rules).
    positions: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # T: a due date moved more times than this is reported (from git history).
    max_due_moves: int = 2


@dataclass(frozen=True)
class Config:
    """The vault's settings with every default filled in."""

    title: str = "Goals"
    owner: str | None = None
    coach: str | None = None
    goals_dir: str = "goals"
    journal_dir: str = "journal"
    exclude: tuple[str, ...] = ()
    output: str = "_site"
    review_every: Duration = Duration(90, "d")
    # Percentage points either side of the road that still count as on track (SPEC §3).
    pace_tolerance: float = 10.0
    categories: tuple[str, ...] = ()
    unsafe_html: bool = False
    linkify: bool = False
    # Pins the evaluation date for a demo or an archived vault; --today and GOALSITE_TODAY win.
    today: dt.date | None = None
    lint: LintConfig = field(default_factory=LintConfig)


# key → (description, example) — the one list of keys: `goalsite init`'s goalsite.toml is made
# from it, and tests/test_config_doc.py holds docs/configuration.md to it, key for key.
TOP_LEVEL_KEYS: Mapping[str, tuple[str, str]] = {
    "title": ("the site's title", '"Alex Morgan — career goals"'),
    "owner": ("whose goals these are; the default `owner` of every goal", '"Alex Morgan"'),
    "coach": ("the coach; the default `coach` of every goal", '"Sam Lee"'),
    "goals": ("the folder of goal files, relative to the vault", '"goals"'),
    "journal": ("the folder of journal entries, relative to the vault", '"journal"'),
    "exclude": ("glob patterns of files to skip, relative to the vault", '["archive/**"]'),
    "output": ("where `goalsite build` writes the site", '"_site"'),
    "review_every": ("default review interval of a goal", '"90d"'),
    "pace_tolerance": ("points either side of the road that count as on track", "10"),
    "categories": ("the known categories; others are reported", '["leadership", "skills"]'),
    "unsafe_html": ("let raw HTML in Markdown through (only for vaults you trust)", "false"),
    "linkify": ("turn bare URLs in Markdown into links", "false"),
    "today": ("pin the evaluation date (a demo, an archive)", "2026-11-23"),
    "lint": ("the linter's settings (a table)", "{ ignore = [\"S004\"] }"),
}
LINT_KEYS: Mapping[str, tuple[str, str]] = {
    "select": ("rule codes or prefixes to run (default: all)", '["S", "M", "T001"]'),
    "ignore": ("rule codes or prefixes to silence", '["A002"]'),
    "severity": ("re-grade rules: code → error, warning or info", '{ A001 = "info" }'),
    "pace_factor": ("A: needed pace over pace so far that is reported", "3.0"),
    "min_buffer": ("T: share of start→deadline to keep between due and deadline", "0.2"),
    "max_active_per_horizon": ("A: active goals one owner may have at one horizon", "3"),
    "horizon_slack": ("T: how far a goal's duration may stray from its horizon", "0.5"),
    "horizons": ("T: a horizon's span, a duration or [shortest, longest]",
                 '{ quarterly = "13w", long-term = ["1y", "3y"] }'),
    "max_due_moves": ("T: due-date moves before it is reported", "2"),
}


def load_config(vault: Path) -> tuple[Config, tuple[Finding, ...]]:
    """Read `vault/goalsite.toml` if there is one. Never raises on its content."""
    path = vault / CONFIG_NAME
    if not path.is_file():
        return Config(), ()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return Config(), (_finding(1, 1, "F009", f"{CONFIG_NAME} cannot be read: {error}",
                                   f"Save {CONFIG_NAME} as UTF-8 text."),)
    return parse_config(text)


# No setting nests deeper than `[lint.severity]`; tomllib spends time quadratic in the depth of
# dotted keys (`a.b.c… = 1`), so a file from a cloned vault could stall every command (SPEC §8).
MAX_KEY_DEPTH = 8
MAX_CONFIG_BYTES = 1024 * 1024
_KEY_PART = re.compile(r"^\s*\[*\s*([^=\]]*)")


def parse_config(text: str) -> tuple[Config, tuple[Finding, ...]]:
    """Parse the text of a `goalsite.toml`: the config, and a finding per problem."""
    if len(text) > MAX_CONFIG_BYTES:
        return Config(), (_finding(1, 1, "F013", f"{CONFIG_NAME} is {len(text) // 1024} KB, over "
                                   f"the {MAX_CONFIG_BYTES // 1024} KB goalsite reads",
                                   f"Keep only settings in {CONFIG_NAME}: a few lines."),)
    for number, line in enumerate(text.split("\n"), start=1):
        key = _KEY_PART.match(line)
        if key and key.group(1).count(".") >= MAX_KEY_DEPTH:
            column = key.start(1) + 1
            return Config(), (_finding(number, column, "F011", "this key nests deeper than any "
                                       "setting; goalsite reads no further",
                                       "Remove it; the settings are listed in docs/configuration.md."),)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, column = _toml_error_position(error)
        message = str(error).split(" (at ")[0]
        return Config(), (_finding(line, column, "F001", f"{CONFIG_NAME} is not valid TOML: {message}",
                                   "Fix the TOML syntax at this place, for example quote text values."),)
    reader = _Reader(text)
    config = reader.top_level(data)
    return config, tuple(sorted(reader.findings))


class _Reader:
    """Turns the parsed TOML into a Config, collecting a finding for each unusable key."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.findings: list[Finding] = []

    def top_level(self, data: Mapping[str, Any]) -> Config:
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in TOP_LEVEL_KEYS:
                self.unknown(key, TOP_LEVEL_KEYS, "")
                continue
            if key == "lint":
                continue
            read = self.read_top(key, value)
            if read is not _INVALID:
                values[_FIELD_NAMES.get(key, key)] = read
        lint = data.get("lint", {})
        if isinstance(lint, Mapping):
            values["lint"] = self.lint(lint)
        else:
            self.wrong("lint", "a table like [lint]")
        return replace(Config(), **values)

    def read_top(self, key: str, value: Any) -> Any:
        if key in ("title", "owner", "coach", "goals", "journal", "output"):
            return value if isinstance(value, str) and value.strip() else self.wrong(key, "text")
        if key in ("exclude", "categories"):
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                return tuple(value)
            return self.wrong(key, "a list of text")
        if key == "review_every":
            try:
                return parse_duration(str(value))
            except ValueError as error:
                return self.wrong(key, "a duration like 90d or 3m", str(error))
        if key == "pace_tolerance":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100
            return float(value) if ok else self.wrong(key, "a number of points from 0 to 100")
        if key in ("unsafe_html", "linkify"):
            return value if isinstance(value, bool) else self.wrong(key, "true or false")
        if key == "today":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value
            return self.wrong(key, "a date like 2026-11-23 (unquoted)")
        return _INVALID

    def lint(self, table: Mapping[str, Any]) -> LintConfig:
        values: dict[str, Any] = {}
        positions: dict[str, tuple[int, int]] = {}
        values["positions"] = positions
        for key, value in table.items():
            if key not in LINT_KEYS:
                self.unknown(key, LINT_KEYS, "lint.")
                continue
            if key in ("select", "ignore"):
                if isinstance(value, list) and all(isinstance(code, str) for code in value):
                    values[key] = tuple(code.strip().upper() for code in value)
                    positions[key] = self.locate(key)
                else:
                    self.wrong(key, 'a list of rule codes like ["S001", "T"]')
            elif key == "severity":
                if isinstance(value, Mapping) and all(v in SEVERITIES for v in value.values()):
                    values[key] = {code.upper(): level for code, level in value.items()}
                    for code in value:
                        positions[f"severity.{code.upper()}"] = next(
                            (found for found in (self.locate(code), self.locate(key),
                                                 self.locate_table("lint.severity"))
                             if found != (1, 1)), (1, 1))
                else:
                    self.wrong(key, 'a table of code = "error" | "warning" | "info"')
            elif key == "horizons":
                if isinstance(value, Mapping):
                    values[key] = self.horizons(value)
                else:
                    self.wrong(key, 'a table like { quarterly = "90d" }')
            elif key == "max_active_per_horizon" or key == "max_due_moves":
                if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                    values[key] = value
                else:
                    self.wrong(key, "a whole number, 0 or more")
            else:
                # A buffer is a share of the time (at most all of it); finite bounds keep
                # the arithmetic of the rules finite (TOML can write `inf`).
                top = {"min_buffer": 1.0, "horizon_slack": 10.0}.get(key, 1000.0)
                if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= top:
                    values[key] = float(value)
                else:
                    self.wrong(key, f"a number from 0 to {top:g}")
        return replace(LintConfig(), **values)

    def horizons(self, table: Mapping[str, Any]) -> Mapping[str, tuple[int, int]]:
        """`[lint.horizons]`: each horizon's span over the defaults; a bad one keeps its default."""
        spans = dict(HORIZON_SPANS)
        for horizon, value in table.items():
            if horizon not in HORIZON_SPANS:
                self.unknown(horizon, HORIZON_SPANS, "lint.horizons.")
                continue
            texts = value if isinstance(value, list) and len(value) == 2 else [value, value]
            try:
                low, high = (parse_duration(str(text)).approximate_days for text in texts)
            except ValueError as error:
                self.wrong(horizon, 'a duration like "90d", or ["1y", "3y"]', str(error))
                continue
            if low > high:
                self.wrong(horizon, "[shortest, longest], the shortest first")
                continue
            spans[horizon] = (low, high)
        return spans

    def unknown(self, key: str, known: Mapping[str, object], prefix: str) -> None:
        line, column = self.locate(key)
        guess = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        hint = f" — did you mean `{prefix}{guess[0]}`?" if guess else ""
        self.findings.append(_finding(
            line, column, "F011", f"`{prefix}{key}` is not a setting of {CONFIG_NAME}{hint}",
            f"Rename it to `{prefix}{guess[0]}`." if guess
            else f"Remove `{prefix}{key}`; the settings are listed in docs/configuration.md.",
        ))

    def wrong(self, key: str, expected: str, reason: str | None = None) -> object:
        line, column = self.locate(key)
        self.findings.append(_finding(
            line, column, "F002",
            reason or f"`{key}` in {CONFIG_NAME} must be {expected}",
            f"Write `{key}` as {expected}; the default is used until then.",
        ))
        return _INVALID

    def locate_table(self, name: str) -> tuple[int, int]:
        """The line and column of the table header `[name]`."""
        pattern = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                return number, len(line) - len(line.lstrip()) + 1
        return 1, 1

    def locate(self, key: str) -> tuple[int, int]:
        """The line and column of `key =` in the file (tomllib keeps no positions)."""
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                return number, len(line) - len(line.lstrip()) + 1
        return 1, 1


_INVALID = object()
_FIELD_NAMES = {"goals": "goals_dir", "journal": "journal_dir"}


def _toml_error_position(error: tomllib.TOMLDecodeError) -> tuple[int, int]:
    match = re.search(r"at line (\d+), column (\d+)", str(error))
    return (int(match.group(1)), int(match.group(2))) if match else (1, 1)


def _finding(line: int, column: int, code: str, message: str, fix: str) -> Finding:
    return Finding(CONFIG_NAME, line, column, code, "error", message, fix)
