"""Small vaults for the site tests, written as real files."""

from __future__ import annotations

import textwrap
from pathlib import Path

TODAY = "2026-11-23"


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def small_vault(root: Path) -> Path:
    """A long-term goal, a quarterly child with a measure and an obstacle, three entries,
    and one file with a format error."""
    write(root, "goalsite.toml", 'title = "Sam\'s goals"\nowner = "Sam"\n')
    write(root, "goals/lead.md", """
        ---
        title: Lead a team of ten by 2028
        horizon: long-term
        category: leadership
        start: 2026-01-01
        due: 2028-12-31
        specific: I will lead a team of ten engineers at my company by the end of 2028.
        relevant: It is the next step of my career.
        achievable: My manager supports it.
        ---
        The long game. See [[talks]] and [[nowhere|a missing goal]].
        """)
    write(root, "goals/talks.md", """
        ---
        title: Give 4 talks by December
        horizon: quarterly
        parent: lead
        category: skills
        start: 2026-09-01
        due: 2026-12-20
        specific: I will give four internal talks to my department by 20 December.
        measures:
          - key: talks
            name: Talks given
            unit: talks
            baseline: 0
            target: 4
            aggregate: sum
        achievable: I have two talks drafted.
        resources: [a slot in the monthly all-hands]
        relevant: Speaking is what a team lead does every week.
        obstacles:
          - obstacle: Stage fright
            plan: Rehearse with a friend the day before
          - obstacle: No slot available
        ---
        ## Plan

        - [x] Draft talk one
        - [ ] Book a room

        | talk | date |
        |------|------|
        | one  | Oct  |
        """)
    write(root, "journal/2026-10-01.md", """
        ---
        date: 2026-10-01
        goal: talks
        values: {talks: 1}
        confidence: 4
        ---
        First talk done. It went **well**.
        """)
    write(root, "journal/2026-11-02.md", """
        ---
        date: 2026-11-02
        goal: talks
        kind: win
        values: {talks: 1}
        ---
        Second talk: people asked for the slides.
        """)
    write(root, "journal/2026-11-10.md", """
        ---
        date: 2026-11-10
        kind: reflection
        ---
        A general reflection, about no goal.
        """)
    write(root, "goals/broken.md", """
        ---
        title: Broken goal
        due: 2026-02-30
        ---
        """)
    return root


def hostile_vault(root: Path) -> Path:
    """Every value a user controls carries markup, script or an unsafe URL."""
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    write(root, "goalsite.toml", f"title = '{evil}'\n")
    write(root, "goals/evil.md", f"""
        ---
        title: '{evil} </script>'
        id: evil
        horizon: quarterly
        category: '{evil}'
        start: 2026-09-01
        due: 2026-12-20
        url: "javascript:alert(3)"
        specific: '{evil}'
        tags: ['{evil}', "javascript:alert(4)"]
        measures:
          - key: hits
            name: '{evil}'
            unit: '</script><script>alert(5)</script>'
            baseline: 0
            target: 10
        obstacles:
          - obstacle: '{evil}'
            plan: '{evil}'
        ---
        [click](javascript:alert(6)) [d](data:text/html;base64,PHNjcmlwdD4=) [v](vbscript:x)
        <script>alert(7)</script> <img src=x onerror=alert(8)>
        [[evil|{evil}]]
        """)
    write(root, "journal/e1.md", f"""
        ---
        date: 2026-11-01
        goal: evil
        title: '{evil}'
        values: {{hits: 3}}
        tags: ['{evil}']
        ---
        </script><script>alert(9)</script>
        """)
    return root
