"""Small builders of model records for the progress, status and export tests.

The engine reads only `Vault`, `Goal`, `Entry`, `Measure` and `Value`; building them here keeps
the arithmetic tests independent of the loader (CLI tests use real files instead).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from goalsite.config import Config
from goalsite.dates import Duration
from goalsite.model import Entry, Goal, Measure, Position, Source, Value, Vault

START = dt.date(2026, 1, 1)
DUE = dt.date(2026, 4, 11)  # 100 days after START


def source(path: str) -> Source:
    return Source(path=path, start=Position(1, 1), keys={}, values={}, body="", body_line=1)


def measure(key: str = "m", *, baseline: float | None = 0, target: float | None = 10,
            aggregate: str = "last", direction: str | None = None, index: int = 0,
            name: str | None = None, unit: str | None = None) -> Measure:
    return Measure(key=key, index=index, name=name, unit=unit, baseline=baseline, target=target,
                   aggregate=aggregate, direction=direction)  # type: ignore[arg-type]


def goal(goal_id: str = "g", *measures: Measure, start: dt.date | None = START,
         due: dt.date | None = DUE, parent: str | None = None, status: str = "active",
         weight: float = 1.0, horizon: str | None = "quarterly", title: str | None = None,
         review_every: Duration = Duration(90, "d"), **extra: object) -> Goal:
    return Goal(id=goal_id, source=source(f"goals/{goal_id}.md"), title=title or goal_id.title(),
                horizon=horizon, parent=parent, status=status, start=start, due=due,  # type: ignore[arg-type]
                measures=tuple(measures), weight=weight, review_every=review_every,
                **extra)  # type: ignore[arg-type]


def entry(day: dt.date, goal_id: str = "g", kind: str = "check-in", **values: object) -> Entry:
    """An entry about `goal_id` on `day` with `values` (use `value=` for the shorthand)."""
    reported = []
    for key, raw in values.items():
        number = float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None
        reported.append(Value(key=None if key == "value" else key, raw=raw, number=number))
    name = f"{day.isoformat()}-{goal_id}-{kind}-{len(values)}"
    return Entry(id=name, source=source(f"journal/{name}.md"), date=day, goals=(goal_id,),
                 kind=kind, values=tuple(reported))  # type: ignore[arg-type]


def vault(*items: Goal | Entry, config: Config | None = None) -> Vault:
    goals = tuple(sorted((i for i in items if isinstance(i, Goal)), key=lambda g: g.id))
    entries = tuple(sorted((i for i in items if isinstance(i, Entry)), key=lambda e: e.sort_key))
    return Vault(root=Path("/nonexistent"), config=config or Config(), goals=goals,
                 entries=entries)
