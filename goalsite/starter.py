"""The files of a new vault (`goalsite init`, SPEC §9): settings, an example goal and entry.

The example goal is complete, so a new vault lints clean from its first minute and shows what a
S.M.A.R.T. goal looks like; it says in its body that it is there to be rewritten.
"""

from __future__ import annotations

import datetime as dt

from goalsite.scaffold import config_text

FIRST_GOAL_ID = "lead-a-team"


def init_files(today: dt.date, due: dt.date, *, title: str | None, owner: str | None,
               coach: str | None) -> dict[str, str]:
    """Every file of a new vault, by vault-relative path, in the order they are written; the
    example long-term goal starts `today` and is due on `due`."""
    entry = f"journal/{today:%Y}/{today:%m}/{today.isoformat()}-{FIRST_GOAL_ID}-reflection.md"
    return {
        "goalsite.toml": config_text(title=title, owner=owner, coach=coach),
        f"goals/{FIRST_GOAL_ID}.md": _first_goal(today, due),
        entry: _first_entry(today),
        ".gitignore": "# goalsite's output and cache: made again by every build\n_site/\n"
                      ".goalsite-cache/\n",
        "README.md": _README,
    }


def _first_goal(today: dt.date, due: dt.date) -> str:
    return f"""---
# An example to make your own: change every line, or delete the file.
# S — Specific
title: Lead a team of 5 people by {due.year}
id: {FIRST_GOAL_ID}
specific: >
  I will lead a team of at least five people, as their manager or technical lead,
  by {due.isoformat()}, because helping others do their best work is the job I want next.
# M — Measurable
measures:
  - key: team-size
    name: People I lead
    unit: people
    baseline: 0
    target: 5
    aggregate: last
# A — Achievable
achievable: >
  I already mentor two colleagues and run our team's on-call rota; my manager supports
  the move, and the company runs a program for new leads.
resources:
  - A monthly 1:1 with my manager about the path to leading a team
  - The company's program for new leads
  - A mentor who made the same move
obstacles:
  - obstacle: No lead role opens on my team.
    plan: Ask my manager each quarter, and look at openings on other teams from the second year.
# R — Relevant (a long-term goal is the top of the cascade: shorter goals name it as parent)
horizon: long-term
category: career
relevant: >
  Leading people is the next step on the career path I want; every shorter goal in this
  vault should serve it.
# T — Time-bound
start: {today.isoformat()}
due: {due.isoformat()}
review_every: 90d
status: active
---

# Lead a team of 5 people

This is an example goal made by `goalsite init`. Rewrite it as your own first long-term goal
(one to three years away), or delete it and start with `goalsite new goal "Your goal"
--horizon long-term`.

Shorter goals serve this one: `goalsite new goal "Mentor 2 juniors" --parent {FIRST_GOAL_ID}`
makes a yearly goal under it. Record progress with `goalsite log {FIRST_GOAL_ID} team-size=1`.
"""


def _first_entry(today: dt.date) -> str:
    return f"""---
date: {today.isoformat()}
goal: {FIRST_GOAL_ID}
kind: reflection
confidence: 3
---

# Why this goal

An example journal entry made by `goalsite init`: one file per check-in, review, coaching
session or reflection. `goalsite log {FIRST_GOAL_ID} team-size=2 -m "Took over the rota"` writes
a check-in in one line; `goalsite new entry {FIRST_GOAL_ID} --kind review` a review to fill in.
"""


_README = """# My goals

A goalsite vault: S.M.A.R.T. career goals as Markdown files, with their journal.

- `goals/` — one file per goal (`goalsite new goal "Deliver 5 talks" --parent lead-a-team`)
- `journal/` — one file per check-in, review or session (`goalsite log GOAL KEY=N -m TEXT`)
- `goalsite.toml` — the settings, each one explained

Every day use:

    goalsite lint          # what makes a goal not yet S.M.A.R.T.
    goalsite status        # progress and pace in the terminal
    goalsite build         # the progress site, in _site/
    goalsite serve         # the same, rebuilt on every save, on http://127.0.0.1:8000

The files are yours: goalsite only reads them, and `new`, `log` and `init` only add files.
"""
