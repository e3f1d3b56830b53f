"""Generate a realistic, deterministic goalsite vault: N goals in a cascade and M journal entries.

The same seed gives the same bytes. Every file is also valid Hugo and MkDocs content (plain YAML
front matter with `title` and `date`, no entry dated after `TODAY`), so the same vault can be fed
to the other static-site tools of the comparison. Bodies are 0.5–3 KB of Markdown with headings,
lists, links and a table.

    python benchmarks/generate.py OUT --goals 2000 --entries 10000 --seed 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

HORIZON_DAYS = {"long-term": 1095, "yearly": 365, "quarterly": 90, "monthly": 30, "weekly": 7}
CHILD_HORIZON = {"long-term": "yearly", "yearly": "quarterly", "quarterly": "monthly",
                 "monthly": "weekly"}
CATEGORIES = ("leadership", "career", "work-life", "skills")
VERBS = ("Deliver", "Complete", "Reduce", "Lead", "Publish", "Mentor", "Ship", "Run", "Earn", "Cut")
THINGS = ("company presentations", "PMP certification", "weekly working hours", "a leadership course",
          "Toastmasters speeches", "financial models", "one-to-ones", "stress score", "code reviews",
          "customer interviews", "Excel dashboards", "team retrospectives")
WORDS = ("progress", "feedback", "session", "coach", "plan", "quarter", "practice", "review",
         "priority", "stakeholder", "meeting", "deadline", "habit", "energy", "focus", "result",
         "draft", "rehearsal", "budget", "mentor", "workshop", "the team", "my manager", "a peer")
KINDS = ("check-in", "check-in", "check-in", "review", "session", "reflection", "obstacle", "win",
         "feedback")
START = dt.date(2025, 1, 6)
# The benchmark evaluates on this day (`--today`); no entry is dated after it, as in a real vault.
TODAY = dt.date(2026, 11, 23)


@dataclass(frozen=True)
class GoalPlan:
    """What the generator decided about one goal (entries refer to it)."""

    id: str
    horizon: str
    start: dt.date
    keys: tuple[str, ...]


def generate(out: Path, goals: int, entries: int, seed: int = 7) -> tuple[int, int]:
    """Write the vault into `out` (created); return the number of goal and entry files."""
    rng = random.Random(seed)
    (out / "goals").mkdir(parents=True, exist_ok=True)
    (out / "journal").mkdir(parents=True, exist_ok=True)
    (out / "goalsite.toml").write_text(
        'title = "Benchmark vault"\nowner = "Alex Morgan"\ncoach = "Sam Lee"\n', encoding="utf-8")
    plans: list[GoalPlan] = []
    for index in range(goals):
        plan = _goal_plan(rng, index, plans)
        parent = _parent(rng, plan, plans)
        _write(out / "goals" / plan.horizon / f"{plan.id}.md", _goal_text(rng, plan, parent))
        plans.append(plan)
    for index in range(entries):
        plan = rng.choice(plans)
        last = min(plan.start + dt.timedelta(days=HORIZON_DAYS[plan.horizon]), TODAY)
        day = plan.start + dt.timedelta(days=rng.randrange(0, (last - plan.start).days + 1))
        folder = out / "journal" / str(day.year) / f"{day.month:02d}"
        _write(folder / f"{day.isoformat()}-{index:05d}.md", _entry_text(rng, plan, day))
    return goals, entries


def _goal_plan(rng: random.Random, index: int, plans: list[GoalPlan]) -> GoalPlan:
    horizons = tuple(HORIZON_DAYS)
    horizon = horizons[min(4, int(rng.triangular(0, 5, 3)))] if plans else "long-term"
    start = START + dt.timedelta(days=rng.randrange(0, 540))
    count = rng.choice((1, 1, 1, 2, 3))
    keys = ("value",) if count == 1 else tuple(f"m{n}" for n in range(count))
    return GoalPlan(f"goal-{index:05d}", horizon, start, keys)


def _parent(rng: random.Random, plan: GoalPlan, plans: list[GoalPlan]) -> str | None:
    longer = [p for p in plans[-200:] if CHILD_HORIZON.get(p.horizon) == plan.horizon]
    return rng.choice(longer).id if longer else None


def _goal_text(rng: random.Random, plan: GoalPlan, parent: str | None) -> str:
    title = f"{rng.choice(VERBS)} {rng.randrange(2, 12)} {rng.choice(THINGS)}"
    due = plan.start + dt.timedelta(days=HORIZON_DAYS[plan.horizon])
    lines = [
        "---",
        f"title: {title} ({plan.id})",
        f"date: {plan.start.isoformat()}",
        f"horizon: {plan.horizon}",
        f"category: {rng.choice(CATEGORIES)}",
        f"status: {rng.choice(('active', 'active', 'active', 'achieved', 'draft', 'paused'))}",
        f"start: {plan.start.isoformat()}",
        f"due: {due.isoformat()}",
        f"review_every: {rng.choice(('14d', '30d', '90d'))}",
    ]
    if parent:
        lines.append(f"parent: {parent}")
    lines.append(f"specific: {_sentence(rng, 18)}")
    lines.append("measures:")
    for key in plan.keys:
        baseline = rng.randrange(0, 60)
        target = baseline + rng.choice((-1, 1)) * rng.randrange(3, 40)
        lines += [
            *([f"  - key: {key}", f"    name: {rng.choice(THINGS).capitalize()}"] if key != "value"
              else [f"  - name: {rng.choice(THINGS).capitalize()}", "    key: value"]),
            f"    unit: {rng.choice(('hours/week', 'sessions', 'score (1–5)', 'items'))}",
            f"    baseline: {baseline}",
            f"    target: {target}",
            f"    aggregate: {rng.choice(('last', 'sum', 'mean'))}",
        ]
    lines += [
        f"achievable: {_sentence(rng, 14)}",
        "resources:",
        *(f"  - {_sentence(rng, 4).rstrip('.')}" for _ in range(rng.randrange(1, 4))),
        f"relevant: {_sentence(rng, 16)}",
        "obstacles:",
        f"  - obstacle: {_sentence(rng, 6)}",
        f"    plan: {_sentence(rng, 10)}",
        f"tags: [{', '.join(rng.sample(('speaking', 'visibility', 'health', 'finance', 'people'), 2))}]",
        "---",
        "",
    ]
    return "\n".join(lines) + _body(rng, rng.randrange(500, 3000))


def _entry_text(rng: random.Random, plan: GoalPlan, day: dt.date) -> str:
    kind = rng.choice(KINDS)
    lines = ["---", f"title: {kind.capitalize()} on {day.isoformat()}", f"date: {day.isoformat()}",
             f"goal: {plan.id}", f"kind: {kind}"]
    if kind in ("check-in", "review", "win", "feedback"):
        if plan.keys == ("value",):
            lines.append(f"value: {rng.randrange(0, 80)}")
        else:
            lines.append("values:")
            lines += [f"  {key}: {round(rng.uniform(0, 80), 1)}" for key in plan.keys]
    if rng.random() < 0.5:
        lines.append(f"confidence: {rng.randrange(1, 6)}")
    lines += ["---", ""]
    return "\n".join(lines) + _body(rng, rng.randrange(500, 3000))


def _body(rng: random.Random, size: int) -> str:
    """Markdown of `size` characters or a little less (0.5–3 KB): a heading, a paragraph, a
    list, links (one of them a wiki link), a table, then paragraphs up to the size."""
    parts = [f"# {_sentence(rng, 4).rstrip('.')}\n", f"{_sentence(rng, rng.randrange(6, 20))}\n",
             "".join(f"- {_sentence(rng, rng.randrange(3, 8))}\n" for _ in range(rng.randrange(2, 5))),
             f"See [the plan](https://example.com/plan/{rng.randrange(1000)}) and "
             f"[[goal-{rng.randrange(100):05d}]].\n",
             "| week | hours |\n|---|---|\n" + "".join(
                 f"| {n} | {rng.randrange(30, 60)} |\n" for n in range(1, rng.randrange(3, 6))),
             "## Next\n"]
    text = "\n".join(parts)
    while True:
        sentence = f"\n{_sentence(rng, rng.randrange(12, 40))}\n"
        if len(text) >= 500 and len(text) + len(sentence) > size:
            return text
        text += sentence


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--goals", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.goals, args.entries, args.seed)
    print(f"wrote {args.goals} goals and {args.entries} entries to {args.out}")


if __name__ == "__main__":
    main()
