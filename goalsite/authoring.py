"""Create vault files: `goalsite init`, `new goal`, `new entry` and `log` (SPEC §9).

Everything here only creates files, never changes or deletes one (SPEC §8): each file is written
to a hidden temporary file beside its place and linked into place, which fails when the name is
taken, so a file that appeared meanwhile is never overwritten and a reader never sees half a
file. Every check (the goal exists, the values fit its measures, the parent is longer) runs
before the first byte is written; a refusal raises `UsageError` or `RefusedError` (exit 2).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from goalsite import scaffold, starter
from goalsite.config import CONFIG_NAME, Config, load_config
from goalsite.dates import Duration
from goalsite.errors import RefusedError, UsageError
from goalsite.model import HORIZONS, EntryKind, Goal, Horizon, Vault, horizon_rank
from goalsite.readers import is_slug, slugify

# SPEC §2.1: the span of each horizon — long-term 1–3 years (we take 3), yearly 12 months,
# quarterly 90 days, monthly 30 days, weekly 7 days. A new goal is due this long after its start.
DEFAULT_DURATION: Mapping[Horizon, Duration] = {
    "long-term": Duration(3, "y"),
    "yearly": Duration(12, "m"),
    "quarterly": Duration(90, "d"),
    "monthly": Duration(30, "d"),
    "weekly": Duration(7, "d"),
}
# Long titles make unwieldy file names and ids; cut the slug at a word near this length.
MAX_SLUG = 48
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


@dataclass(frozen=True)
class GoalDraft:
    """What `goalsite new goal` was told; every field but the title may be left out."""

    title: str
    horizon: Horizon | None = None
    parent: str | None = None
    due: dt.date | None = None
    start: dt.date | None = None
    category: str | None = None
    goal_id: str | None = None
    specific: str | None = None
    measure: str | None = None
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    aggregate: str | None = None
    achievable: str | None = None
    resources: tuple[str, ...] = ()
    relevant: str | None = None


@dataclass(frozen=True)
class InitResult:
    """The files `init` created and the ones it found already there and left alone."""

    created: tuple[str, ...]
    kept: tuple[str, ...]


# -- init --------------------------------------------------------------------------------------

def init_vault(root: Path, today: dt.date, *, title: str | None = None, owner: str | None = None,
               coach: str | None = None) -> InitResult:
    """Make `root` a vault: config, a first goal and entry, `.gitignore`, README.

    Refuse (RefusedError) a folder that already holds a vault: a goalsite.toml, or Markdown files
    under goals/ or journal/. Files that exist already (a README of the repository) are kept.
    """
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is a file, not a folder")
    found = _existing_vault(root)
    if found:
        raise RefusedError(f"{root} already holds a vault ({found}); goalsite init changes "
                           "nothing there — use `goalsite new goal` to add a goal")
    files = starter.init_files(today, DEFAULT_DURATION["long-term"].after(today), title=title,
                              owner=owner, coach=coach)
    created: list[str] = []
    kept: list[str] = []
    for relative, text in files.items():
        path = root / relative
        if path.exists() or path.is_symlink():
            kept.append(relative)
            continue
        create(path, text)
        created.append(relative)
    return InitResult(tuple(created), tuple(kept))


def _existing_vault(root: Path) -> str | None:
    """What shows that `root` is a vault already, or None."""
    if not root.is_dir():
        return None
    if (root / CONFIG_NAME).exists():
        return CONFIG_NAME
    config, _ = load_config(root)
    for folder in (config.goals_dir, config.journal_dir):
        base = root / folder
        if base.is_dir():
            for path in sorted(base.rglob("*.md")):
                return path.relative_to(root).as_posix()
    return None


# -- new goal ------------------------------------------------------------------------------------

def new_goal(root: Path, today: dt.date, draft: GoalDraft) -> Path:
    """Write a S.M.A.R.T. template for `draft` under the goals folder; return its path."""
    vault = _load(root)
    goal_id = draft.goal_id or slug_of(draft.title)
    if not draft.title.strip():
        raise UsageError("the title is empty: say what you will achieve, like "
                         "goalsite new goal \"Deliver 5 company presentations\"")
    if not goal_id:
        raise UsageError(f"the title {draft.title!r} gives no id (no letters or digits); "
                         "give one with --id, like --id my-goal")
    if not is_slug(goal_id):
        raise UsageError(f"--id {goal_id!r} is not an id: use lowercase letters, digits and "
                         f"hyphens, like --id {slugify(goal_id) or 'my-goal'}")
    existing = vault.goal(goal_id)
    if existing is not None:
        raise RefusedError(f"a goal with the id {goal_id} exists already: {existing.path}; "
                           "choose another title, or an id with --id")
    parent = _parent(vault, draft.parent)
    horizon = draft.horizon or _horizon_below(parent)
    if parent is not None:
        _check_parent_horizon(parent, horizon)
    start = draft.start or today
    due = draft.due or default_due(horizon, start, vault.config)
    if draft.due is None and parent is not None and parent.due is not None and start < parent.due < due:
        due = parent.due  # SPEC §4 R: a child is not due after the goal it serves
    if due <= start:
        raise UsageError(f"--due {due.isoformat()} is not after the start {start.isoformat()}: "
                         "a goal needs time, give a later date")
    if draft.baseline is not None and draft.baseline == draft.target:
        raise UsageError(f"--baseline and --target are both {scaffold.number_text(draft.baseline)}: the "
                         "target is where the measure must move to")
    folder = vault.config.goals_dir
    category_folder = slugify(draft.category) if draft.category else ""
    relative = "/".join(part for part in (folder.strip("/"), category_folder, f"{goal_id}.md") if part)
    path = root / relative
    if path.exists() or path.is_symlink():
        raise RefusedError(f"{relative} exists already; goalsite never overwrites a file")
    text = scaffold.goal_text(draft, goal_id=goal_id, horizon=horizon, start=start, due=due,
                              review_every=vault.config.review_every)
    try:
        create(path, text)
    except FileExistsError:
        raise RefusedError(f"{relative} exists already; goalsite never overwrites a file") from None
    return path


def default_due(horizon: Horizon, start: dt.date, config: Config) -> dt.date:
    """`start` plus the horizon's span: the calendar one of DEFAULT_DURATION while it fits the
    span the linter checks (`[lint] horizons` may change it), else the span's longest end."""
    due = DEFAULT_DURATION[horizon].after(start)
    low, high = config.lint.horizons[horizon]
    # A calendar year that spans a 29 February has 366 days: still one year.
    if low <= (due - start).days <= high + 1:
        return due
    return start + dt.timedelta(days=high)


def slug_of(title: str) -> str:
    """The id a title gives: its slug, cut at a hyphen before MAX_SLUG characters."""
    slug = slugify(title)
    if len(slug) <= MAX_SLUG:
        return slug
    cut = slug[:MAX_SLUG + 1].rsplit("-", 1)[0]
    return cut or slug[:MAX_SLUG]


def _parent(vault: Vault, parent_id: str | None) -> Goal | None:
    if parent_id is None:
        return None
    parent = vault.goal(parent_id)
    if parent is None:
        raise UsageError(f"--parent {parent_id}: {_no_goal(vault, parent_id)}")
    return parent


def _horizon_below(parent: Goal | None) -> Horizon:
    """The horizon one step down the cascade from `parent`; quarterly without one (the
    90-day cycle of reviews, SPEC §1)."""
    if parent is None or parent.horizon is None:
        return "quarterly"
    rank = horizon_rank(parent.horizon)
    if rank + 1 >= len(HORIZONS):
        raise UsageError(f"--parent {parent.id} is a weekly goal: nothing is shorter, so it "
                         "cannot have a child goal; choose a longer parent")
    return HORIZONS[rank + 1]


def _check_parent_horizon(parent: Goal, horizon: Horizon) -> None:
    """SPEC §4 R: the parent serves a longer horizon than its child."""
    if parent.horizon is None:
        raise UsageError(f"--parent {parent.id} has no horizon, so goalsite cannot check that it "
                         f"is longer than {horizon}; add `horizon:` to {parent.path} first")
    if horizon_rank(parent.horizon) >= horizon_rank(horizon):
        longer = ", ".join(HORIZONS[:horizon_rank(horizon)]) or "none"
        raise UsageError(f"--parent {parent.id} is {parent.horizon}, not longer than this "
                         f"{horizon} goal; a parent's horizon must be longer ({longer})")


# -- journal entries ------------------------------------------------------------------------------

def new_entry(root: Path, today: dt.date, goal_id: str, *, kind: EntryKind = "check-in",
              day: dt.date | None = None) -> Path:
    """Write a journal entry template about `goal_id` for `day` (default today)."""
    vault = _load(root)
    goal = _goal(vault, goal_id)
    day = _entry_day(day, today)
    text = scaffold.entry_template(goal, kind, day)
    return _write_entry(root, vault.config, day, _entry_stem(day, goal, kind), text)


def log_entry(root: Path, today: dt.date, goal_id: str, assignments: Sequence[str], *,
              message: str | None = None, day: dt.date | None = None,
              confidence: int | None = None) -> Path:
    """Write a check-in about `goal_id` with the values `key=number` (SPEC §9: one line).

    The values are checked against the goal's measures before anything is written.
    """
    vault = _load(root)
    goal = _goal(vault, goal_id)
    values = parse_values(goal, assignments)
    if not values and not (message and message.strip()):
        keys = " ".join(f"{m.key}=N" for m in goal.measures) or "-m TEXT"
        raise UsageError(f"nothing to log: give values or a message, like goalsite log {goal.id} {keys}")
    day = _entry_day(day, today)
    text = scaffold.check_in_text(goal, day, values, message, confidence)
    return _write_entry(root, vault.config, day, _entry_stem(day, goal, "check-in"), text)


def parse_values(goal: Goal, assignments: Sequence[str]) -> dict[str, float]:
    """`key=number` (or a bare number for a goal with one measure) → {key: number}, checked
    against `goal`'s measures; UsageError naming the first one that does not fit."""
    values: dict[str, float] = {}
    keys = [measure.key for measure in goal.measures]
    for assignment in assignments:
        key, sep, raw = assignment.partition("=")
        if not sep:
            if len(keys) != 1:
                raise UsageError(f"{assignment!r} is not KEY=VALUE; {_measure_hint(goal)}")
            key, raw = keys[0], assignment
        key, raw = key.strip(), raw.strip()
        if not goal.measures:
            raise UsageError(f"{goal.id} has no measure, so there is nothing to give {key} to; "
                             f"add one to {goal.path}, or log only a message with -m")
        if key not in keys:
            guess = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
            hint = f" (did you mean {guess[0]}?)" if guess else ""
            raise UsageError(f"{goal.id} has no measure {key!r}{hint}; {_measure_hint(goal)}")
        if key in values:
            raise UsageError(f"{key} is given twice; give each measure one value per entry")
        values[key] = _parse_number(key, raw)
    return values


def _parse_number(key: str, raw: str) -> float:
    if not raw:
        raise UsageError(f"{key}= has no value: write a number after =, like {key}=3")
    if not _NUMBER.match(raw):
        hint = f", like {key}={raw.replace(',', '.')}" if re.fullmatch(r"\d+,\d+", raw) else \
            f", like {key}=3 or {key}=4.5 (put units in the measure's unit:)"
        raise UsageError(f"{key}={raw} is not a number: write digits{hint}")
    number = float(raw)
    if not math.isfinite(number):
        raise UsageError(f"{key}={raw} is too large: write an ordinary number")
    return number


def _measure_hint(goal: Goal) -> str:
    if not goal.measures:
        return f"{goal.id} has no measures"
    listed = ", ".join(f"{m.key} ({m.label}{', ' + m.unit if m.unit else ''})" for m in goal.measures)
    return f"its measures: {listed}"


def _goal(vault: Vault, goal_id: str) -> Goal:
    goal = vault.goal(goal_id.strip())
    if goal is None:
        raise UsageError(_no_goal(vault, goal_id))
    return goal


def _no_goal(vault: Vault, goal_id: str) -> str:
    ids = [goal.id for goal in vault.goals]
    guess = difflib.get_close_matches(goal_id, ids, n=1, cutoff=0.6)
    if guess:
        return f"no goal has the id {goal_id!r} — did you mean {guess[0]}?"
    if not ids:
        return f"no goal has the id {goal_id!r}: the vault has no goals yet (goalsite new goal TITLE)"
    return f"no goal has the id {goal_id!r}; `goalsite status` lists the goals"


def _entry_day(day: dt.date | None, today: dt.date) -> dt.date:
    """An entry records what happened: a date after today is refused (lint J002 would warn)."""
    day = day or today
    if day > today:
        raise UsageError(f"--date {day.isoformat()} is after today ({today.isoformat()}): a journal "
                         "entry records what happened; pass --today if the clock is wrong")
    return day


def _entry_stem(day: dt.date, goal: Goal, kind: EntryKind) -> str:
    suffix = "" if kind == "check-in" else f"-{kind}"
    return f"{day.isoformat()}-{goal.id}{suffix}"


def _write_entry(root: Path, config: Config, day: dt.date, stem: str, text: str) -> Path:
    """Write under journal/YYYY/MM/; a second entry that day gets -2, then -3, never overwriting."""
    folder = root / config.journal_dir.strip("/") / f"{day.year:04d}" / f"{day.month:02d}"
    for number in range(1, 1000):
        path = folder / (f"{stem}.md" if number == 1 else f"{stem}-{number}.md")
        if path.exists() or path.is_symlink():
            continue
        try:
            create(path, text)
        except FileExistsError:
            continue  # another process took the name between the check and the link
        return path
    raise RefusedError(f"{folder} already has 999 entries named {stem}; write this one by hand")


def _load(root: Path) -> Vault:
    from goalsite.load import load_vault

    if not root.is_dir():
        raise UsageError(f"{root} is not a folder: pass the vault with --vault, or run "
                         "goalsite init first")
    return load_vault(root)


# -- writing ----------------------------------------------------------------------------------

def create(path: Path, text: str) -> None:
    """`write_new`, making the folders it needs; FileExistsError when the name is taken, and
    UsageError (exit 2) when the folder cannot be made or written (a file in the way, no
    permission, a full disk)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot make the folder {path.parent}: {error.strerror or error}") from None
    try:
        write_new(path, text)
    except FileExistsError:
        raise
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None


def write_new(path: Path, text: str) -> None:
    """Create `path` holding `text`, atomically; FileExistsError when the name is taken.

    The bytes go to a hidden temporary file beside `path` (discovery skips dot files), then a
    hard link gives it its name: link() never replaces an existing file, unlike rename().
    Where hard links are not supported, an O_EXCL create is the fallback (not atomic, but it
    still never overwrites).
    """
    data = text.encode("utf-8")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), 0o666 & ~_umask())  # mkstemp makes it private (0600)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:
            _write_exclusive(path, data)
    finally:
        os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_exclusive(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
