"""Run the registered rules over a Vault and make the `LintReport` (SPEC §4).

Rules yield `Hit`s; this module alone turns them into `Finding`s: it stamps the file's path,
the line and column of the hit's key (a missing field points at the front matter's first
line), the code, and the severity the configuration gives. It decides which rules run —
`[lint] select/ignore/severity` in goalsite.toml, `--select/--ignore` on the command line, both
by longest code prefix like flake8 — and honours a file's `lint: {ignore: [...]}`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from goalsite.finding import Finding, Severity, finding_order
from goalsite.lint.registry import SMART, Hit, Rule, all_rules, closest, quoted
from goalsite.load import collector_paused
from goalsite.model import Entry, Goal, KeyPath, Source, horizon_rank

if TYPE_CHECKING:
    from goalsite.config import Config, LintConfig
    from goalsite.history import GoalHistory
    from goalsite.model import Vault
    from goalsite.progress import VaultProgress

# SPEC §4 leaves drafts open; we lint a draft's definition like any goal's (so its author sees
# what is missing before activating it) but never fail a build on work in progress: a rule's
# error in a draft is reported as a warning. Format errors (F) stay errors: the file is broken.
DRAFT_CAP: Severity = "warning"
_RANK: Mapping[Severity, int] = {"error": 0, "warning": 1, "info": 2}


# Pairs of (misspelt id, goal id) one lint run compares for "did you mean": about 2 seconds
# (1,000 different misses in a vault of 100 goals, or 50 in one of 2,000).
_GUESS_BUDGET = 100_000


@dataclass(frozen=True)
class Context:
    """What every rule may read besides its goal or entry."""

    vault: Vault
    today: dt.date
    progress: VaultProgress
    # Each goal's git history by path (history.py); empty when the caller read none.
    history: Mapping[str, GoalHistory] = field(default_factory=dict)
    # goal_like's answers so far (a cache: the same typo is often in many entries).
    _guesses: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @property
    def config(self) -> Config:
        return self.vault.config

    @property
    def settings(self) -> LintConfig:
        return self.vault.config.lint

    @cached_property
    def format_lines(self) -> Mapping[str, frozenset[int]]:
        """Each file → the lines where the loader reported a format (F) problem."""
        lines: dict[str, set[int]] = {}
        for finding in self.vault.findings:
            if finding.letter == "F":
                lines.setdefault(finding.path, set()).add(finding.line)
        return {path: frozenset(found) for path, found in lines.items()}

    def unreadable(self, item: Goal | Entry, key: KeyPath) -> bool:
        """The file writes `key`, but the loader reported its value (an F code on the key's
        line): a rule about the missing field stays quiet, the F finding says what is wrong."""
        position = item.source.keys.get(tuple(key))
        return position is not None and position.line in self.format_lines.get(item.path, ())

    def goal_like(self, word: str) -> str | None:
        """The goal id `word` most likely misspells, for a "did you mean". Each search compares
        `word` with every id, so one run compares at most `_GUESS_BUDGET` pairs and then stops
        offering: a vault whose every entry names a goal that is gone must not take minutes."""
        if word not in self._guesses:
            if (len(self._guesses) + 1) * len(self.vault.goal_by_id) > _GUESS_BUDGET:
                return None
            self._guesses[word] = closest(word, self.vault.goal_by_id)
        return self._guesses[word]

    @cached_property
    def cycles(self) -> Mapping[str, ParentCycle]:
        """Each goal caught in a parent cycle → that cycle (one record shared by its members),
        with the goal that should be on top."""
        found: dict[str, ParentCycle] = {}
        for members in self.vault.parent_cycles:
            goals = [g for g in map(self.vault.goal, members) if g is not None]
            top = min(goals, key=lambda g: (horizon_rank(g.horizon), g.id))
            cycle = ParentCycle(members, top)
            found.update((member, cycle) for member in members)
        return found

    @cached_property
    def open_goals_by_level(self) -> Mapping[tuple[str, int, str | None], Goal]:
        """(owner, horizon rank, category) → the goal to offer there as a parent: active before
        draft, then the first id; category None stands for any category. Built once: R001
        asks it for every goal without a parent."""
        best: dict[tuple[str, int, str | None], Goal] = {}
        for goal in self.vault.goals:
            if goal.status not in ("active", "draft") or goal.horizon is None:
                continue
            rank = horizon_rank(goal.horizon)
            for key in ((goal.owner or "", rank, goal.category), (goal.owner or "", rank, None)):
                known = best.get(key)
                if known is None or (goal.status != "active", goal.id) < (
                        known.status != "active", known.id):
                    best[key] = goal
        return best

    @cached_property
    def active_groups(self) -> Mapping[tuple[str, str], tuple[Goal, ...]]:
        """Active goals by (owner, horizon): the goals competing for one person's attention."""
        groups: dict[tuple[str, str], list[Goal]] = {}
        for goal in self.vault.goals:
            if goal.is_active and goal.horizon:
                groups.setdefault((goal.owner or "", goal.horizon), []).append(goal)
        return {key: tuple(goals) for key, goals in groups.items()}


@dataclass(frozen=True)
class ParentCycle:
    """Goals whose parents lead round to themselves, in parent order, and the one that
    should be on top (the longest horizon, then the first id): where to break the cycle."""

    members: tuple[str, ...]
    top: Goal

    def from_goal(self, goal_id: str) -> tuple[str, ...]:
        """The members in parent order starting at `goal_id`."""
        index = self.members.index(goal_id)
        return (*self.members[index:], *self.members[:index])


@dataclass(frozen=True)
class Selection:
    """Which codes run and how loud: flake8's longest-prefix decision."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)

    def enabled(self, code: str) -> bool:
        """Selected by its longest matching `select` prefix (all codes when select is empty),
        unless a longer — or equally long — `ignore` prefix matches."""
        selected = 0
        if self.select and "ALL" not in self.select:
            selected = _longest_prefix(code, self.select)
            if selected < 0:
                return False
        return _longest_prefix(code, self.ignore) < selected

    def severity_of(self, code: str, default: Severity) -> Severity:
        best = max((p for p in self.severity if code.startswith(p)), key=len, default=None)
        return self.severity[best] if best is not None else default


def _longest_prefix(code: str, prefixes: Iterable[str]) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


def _matches_any(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(p) for p in prefixes)


def selection_for(settings: LintConfig, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Selection:
    """The config's selection with the command line's: `--select` replaces the configured
    select, `--ignore` adds to the configured ignore (as ruff does)."""
    chosen = _codes(select)
    return Selection(
        select=chosen or _codes(settings.select),
        ignore=_codes(settings.ignore) + _codes(ignore),
        severity={code.upper(): level for code, level in settings.severity.items()},
    )


def _codes(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(c.strip().upper() for part in codes for c in part.split(",") if c.strip())


def unknown_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """The codes or prefixes that name no rule (for a usage error on the command line)."""
    known = [rule.code for rule in all_rules()]
    return tuple(c for c in _codes(codes) if c != "ALL" and not any(k.startswith(c) for k in known))


@dataclass(frozen=True)
class LintReport:
    """The findings of one lint run, sorted, with each goal's S.M.A.R.T. letters."""

    findings: tuple[Finding, ...]
    files: int
    by_goal: Mapping[str, tuple[Finding, ...]] = field(default_factory=dict)
    # Indexes made with the report (issue 10): each file's findings (the site asks for every
    # page's), and the goals each file's findings are about (a preview replaces one file's).
    by_path: Mapping[str, tuple[Finding, ...]] = field(default_factory=dict, compare=False,
                                                       repr=False)
    goals_of_path: Mapping[str, frozenset[str]] = field(default_factory=dict, compare=False,
                                                        repr=False)

    @classmethod
    def of(cls, kept: Iterable[tuple[Finding, str | None]], files: int) -> LintReport:
        """The report of the sorted `kept` findings, each with the goal it is about."""
        findings: list[Finding] = []
        by_goal: dict[str, list[Finding]] = {}
        by_path: dict[str, list[Finding]] = {}
        goals_of_path: dict[str, set[str]] = {}
        for finding, goal in kept:
            findings.append(finding)
            by_path.setdefault(finding.path, []).append(finding)
            if goal is not None:
                by_goal.setdefault(goal, []).append(finding)
                goals_of_path.setdefault(finding.path, set()).add(goal)
        return cls(tuple(findings), files,
                   {goal: tuple(found) for goal, found in sorted(by_goal.items())},
                   {path: tuple(found) for path, found in by_path.items()},
                   {path: frozenset(goals) for path, goals in goals_of_path.items()})

    def for_path(self, path: str) -> tuple[Finding, ...]:
        return self.by_path.get(path, ())

    def for_goal(self, goal_id: str) -> tuple[Finding, ...]:
        """The findings on the goal's file and the entries' findings about it."""
        return self.by_goal.get(goal_id, ())

    def findings_by_letter(self, goal_id: str) -> Mapping[str, tuple[Finding, ...]]:
        """The goal's findings grouped by letter (F, S, M, A, R, T, J), for its S.M.A.R.T. card."""
        grouped: dict[str, list[Finding]] = {}
        for finding in self.for_goal(goal_id):
            grouped.setdefault(finding.letter, []).append(finding)
        return {letter: tuple(found) for letter, found in sorted(grouped.items(), key=_letter_order)}

    def letters_ok(self, goal_id: str) -> tuple[str, ...]:
        """The S.M.A.R.T. letters with no warning or error for this goal (info does not count)."""
        failing = {f.letter for f in self.for_goal(goal_id) if f.severity != "info"}
        return tuple(letter for letter in SMART if letter not in failing)

    def smart(self, goal_id: str) -> str:
        """The score as shown: `S·M·A·R·T`, with `–` for a letter that has a warning or error."""
        ok = set(self.letters_ok(goal_id))
        return "·".join(letter if letter in ok else "–" for letter in SMART)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def replacing(self, paths: frozenset[str], fresh: LintReport) -> LintReport:
        """This report with every finding on `paths` replaced by `fresh`'s (see `relint`); the
        indexes are patched, not rebuilt, so a preview costs little in a large vault."""
        findings = [finding for finding in self.findings if finding.path not in paths]
        for finding in fresh.findings:
            bisect.insort(findings, finding)
        by_goal = dict(self.by_goal)
        for goal in {goal for path in paths for goal in self.goals_of_path.get(path, ())}:
            kept = tuple(finding for finding in by_goal[goal] if finding.path not in paths)
            if kept:
                by_goal[goal] = kept
            else:
                del by_goal[goal]
        for goal, found in fresh.by_goal.items():
            by_goal[goal] = tuple(sorted(by_goal.get(goal, ()) + found))
        by_path = _without(self.by_path, paths)
        by_path.update(fresh.by_path)
        goals_of_path = _without(self.goals_of_path, paths)
        goals_of_path.update(fresh.goals_of_path)
        return LintReport(tuple(findings), self.files, by_goal, by_path, goals_of_path)

    def statistics(self) -> tuple[tuple[str, int], ...]:
        """(code, count), most frequent first, then by code."""
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.code] = counts.get(finding.code, 0) + 1
        return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


_V = TypeVar("_V")


def _without(mapping: Mapping[str, _V], keys: Iterable[str]) -> dict[str, _V]:
    copy = dict(mapping)
    for key in keys:
        copy.pop(key, None)
    return copy


def _letter_order(item: tuple[str, object]) -> int:
    return "FSMARTJ".find(item[0])


def lint_vault(
    vault: Vault,
    today: dt.date,
    *,
    progress: VaultProgress | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    history: Mapping[str, GoalHistory] | None = None,
) -> LintReport:
    """Lint every goal and entry of `vault` on `today`; the loader's findings are included.
    `history` (goal path → its git history) feeds the rules that read it; without it they
    find nothing."""
    # Progress and the rules make an object or more per goal, entry and finding, and no
    # cycles: the collections they would trigger walk every object of the vault not frozen
    # (a fifth of the time of this function at 10,000 goals and 50,000 entries), for nothing.
    with collector_paused():
        if progress is None:
            from goalsite.progress import evaluate

            progress = evaluate(vault, today)
        context = Context(vault=vault, today=today, progress=progress, history=history or {})
        run = _check(context, selection_for(vault.config.lint, select, ignore),
                     vault.goals, vault.entries, vault.findings)
        # Always shown: a typo in `select` must not be able to silence the finding about itself.
        for finding in settings_findings(vault.config.lint):
            run.keep(finding, goal=None)
        return run.report(vault.goals, vault.entries, files=_file_count(vault))


def relint(report: LintReport, vault: Vault, today: dt.date, *, progress: VaultProgress,
           changed: Iterable[Goal | Entry],
           history: Mapping[str, GoalHistory] | None = None) -> LintReport:
    """`report` with the findings of the `changed` goals' and entries' files made again in
    `vault` (as configured, without command-line selection), every other file's findings kept
    as they were: watch mode's first look at a save (issue 10). A rule that compares a file
    with the rest of the vault may change another file's findings too; the full `lint_vault`
    that follows finds it."""
    goals = tuple(item for item in changed if isinstance(item, Goal))
    entries = tuple(item for item in changed if isinstance(item, Entry))
    paths = frozenset(item.path for item in (*goals, *entries))
    context = Context(vault=vault, today=today, progress=progress, history=history or {})
    run = _check(context, selection_for(vault.config.lint), goals, entries,
                 tuple(finding for finding in vault.findings if finding.path in paths))
    return report.replacing(paths, run.report(goals, entries, files=report.files))


def _check(context: Context, selection: Selection, goals: Iterable[Goal], entries: Iterable[Entry],
           loader_findings: Iterable[Finding]) -> _Run:
    """Run the selected rules over `goals` and `entries`, and keep the loader's findings."""
    rules = tuple(r for r in all_rules() if r.check is not None and selection.enabled(r.code))
    # Split once, not asked of every rule for every goal and entry (issue 10: 50,000 entries).
    goal_rules = tuple(rule for rule in rules if rule.scope == "goal")
    entry_rules = tuple(rule for rule in rules if rule.scope == "entry")
    run = _Run(selection)
    for goal in goals:
        active = goal.is_active
        for rule in goal_rules:
            if active or not rule.progress:
                for hit in rule.check(goal, context):  # type: ignore[misc]
                    run.add(rule, goal.source, hit, goal)
    for entry in entries:
        for rule in entry_rules:
            for hit in rule.check(entry, context):  # type: ignore[misc]
                run.add(rule, entry.source, hit, None)
    for finding in loader_findings:
        if selection.enabled(finding.code):
            run.keep(finding, goal=run.goal_at(context.vault, finding.path))
    return run


def _file_count(vault: Vault) -> int:
    return len(vault.files) or len({g.path for g in vault.goals} | {e.path for e in vault.entries})


def settings_findings(settings: LintConfig) -> tuple[Finding, ...]:
    """A code in `[lint] select`, `ignore` or `severity` that matches no rule (SPEC §7: a wrong
    setting is an error with its line): a typo there silently runs, or silences, nothing."""
    from goalsite.config import CONFIG_NAME

    known = tuple(rule.code for rule in all_rules())
    written = [(key, code, settings.positions.get(key, (1, 1)))
               for key in ("select", "ignore") for code in getattr(settings, key)]
    written += [("severity", code, settings.positions.get(f"severity.{code}", (1, 1)))
                for code in settings.severity]
    found = []
    for key, code, (line, column) in written:
        if code in unknown_codes((code,)):
            guess = closest(code, known)
            found.append(Finding(
                CONFIG_NAME, line, column, "F002", "error",
                f"`lint.{key}` names {quoted(code)}, which is not a rule code or prefix"
                + (f" — did you mean {quoted(guess)}?" if guess else ""),
                "Write a code or prefix that `goalsite lint --list-rules` shows, like "
                f"{quoted(guess or 'S')}.",
            ))
    return tuple(found)


# Line breaks, control characters (an escape sequence could repaint a terminal) and the
# bidirectional overrides that make text read in another order ("Trojan source").
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` on one line, safe to print: messages quote the user's values, and every output
    format shows one finding per line. A line break becomes a space, other invisible or
    controlling characters a visible escape like `\\u202e`."""
    return _UNPRINTABLE.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    return " " if char in "\n\r\t" else f"\\u{ord(char):04x}"


class _Run:
    """Collects findings and remembers which goal each one is about."""

    def __init__(self, selection: Selection) -> None:
        self.selection = selection
        self.found: list[Finding] = []
        self.about: list[str | None] = []

    def add(self, rule: Rule, source: Source, hit: Hit, goal: Goal | None) -> None:
        position = source.start if hit.at is None else source.position_of(hit.at, value=hit.on_value)
        severity = self.selection.severity_of(rule.code, rule.severity)
        if goal is not None and goal.status == "draft" and _RANK[severity] < _RANK[DRAFT_CAP]:
            severity = DRAFT_CAP
        finding = Finding(source.path, position.line, position.column, rule.code, severity,
                          hit.message, hit.fix)
        self.keep(finding, goal=goal.id if goal is not None else hit.goal, regrade=False)

    def keep(self, finding: Finding, *, goal: str | None, regrade: bool = True) -> None:
        severity = finding.severity
        if regrade:
            severity = self.selection.severity_of(finding.code, finding.severity)
        message, fix = printable(finding.message), printable(finding.fix)
        if (severity, message, fix) != (finding.severity, finding.message, finding.fix):
            finding = Finding(finding.path, finding.line, finding.column, finding.code,
                              severity, message, fix)
        self.found.append(finding)
        self.about.append(goal)

    def goal_at(self, vault: Vault, path: str) -> str | None:
        goal = vault.goal_by_path.get(path)
        return goal.id if goal is not None else None

    def report(self, goals: Iterable[Goal], entries: Iterable[Entry], *, files: int) -> LintReport:
        """The report of the findings kept, less those that the files of `goals` and
        `entries` silence (`lint: {ignore}`), counting `files` files."""
        silenced = {goal.path: goal.lint_ignore for goal in goals if goal.lint_ignore}
        silenced.update((entry.path, entry.lint_ignore) for entry in entries if entry.lint_ignore)
        kept: list[tuple[Finding, str | None]] = []
        seen: set[Finding] = set()
        for finding, goal in zip(self.found, self.about):
            prefixes = silenced.get(finding.path, ())
            if _matches_any(finding.code, (p.upper() for p in prefixes)) or finding in seen:
                continue
            seen.add(finding)
            kept.append((finding, goal))
        kept.sort(key=lambda pair: finding_order(pair[0]))
        return LintReport.of(kept, files)
