"""`goalsite status`, `review` and `export` through the real command line, on real files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import icalendar
import pytest

from tests.conftest import EXAMPLE_VAULT, run_goalsite, run_in_a_terminal

TODAY = "2026-02-20"  # 50 days into a goal from 2026-01-01 to 2026-04-11

TALKS = """\
---
title: "Give 4 talks [/bold] [link=http://evil.example]click[/link] :smile:"
horizon: quarterly
parent: career
category: leadership
start: 2026-01-01
due: 2026-04-11
measures:
  - key: talks
    name: Talks given
    unit: talks
    baseline: 0
    target: 4
    aggregate: sum
---
"""
HOURS = """\
---
title: Cut my week from 60 to 50 hours
horizon: quarterly
parent: career
category: work-life
start: 2026-01-01
due: 2026-04-11
measure:
  name: Hours worked a week
  unit: hours
  baseline: 60
  target: 50
---
"""
CAREER = """\
---
title: Lead an engineering team by 2027
horizon: yearly
start: 2026-01-01
due: 2026-12-31
---
"""


@pytest.fixture
def vault(write, tmp_path: Path) -> Path:
    write("goals/career.md", CAREER)
    write("goals/talks.md", TALKS)
    write("goals/hours.md", HOURS)
    write("journal/2026-01-20.md", "---\ndate: 2026-01-20\ngoal: talks\nvalues: {talks: 1}\n---\n")
    write("journal/2026-02-05.md", "---\ndate: 2026-02-05\ngoal: talks\nkind: review\n"
                                   "value: 1\n---\n")
    write("journal/2026-02-10.md", "---\ndate: 2026-02-10\ngoal: hours\nvalue: 52\n---\n")
    write("journal/2026-03-01.md", "---\ndate: 2026-03-01\ngoal: hours\nvalue: 40\n---\n")
    return tmp_path


def test_status_prints_the_dashboard_as_plain_text(vault: Path) -> None:
    result = run_goalsite("--today", TODAY, "status", str(vault), env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    # talks: 0 + 1 + 1 = 2 of 4 → 50%, the road expects 50 of 100 days = 50%: on track, 0 days
    # hours: (52 - 60) / (50 - 60) = 80% (the value of 03-01 is after today): +30 points, ahead
    #        by 80 - 50 = 30 days; career rolls both up: (0.5 + 0.8) / 2 = 65%, and its road of
    #        364 days reaches 65% on day 0.65 × 364 = 236.6; today is day 50: 187 days ahead
    # the review clock of talks restarts on 2026-02-05: + 90 days = 2026-05-06
    assert result.stdout == (
        "Goals — status on 2026-02-20\n"
        "\n"
        "Yearly\n"
        "• Lead an engineering team by 2027\n"
        "  ████████░░░░  65%  ahead · 187 days ahead\n"
        "  due 2026-12-31 · review 2026-04-01 · career\n"
        "\n"
        "Quarterly\n"
        "• Cut my week from 60 to 50 hours\n"
        "  ██████████░░  80%  ahead · 30 days ahead\n"
        "  due 2026-04-11 · review 2026-04-01 · hours · work-life\n"
        "• Give 4 talks [/bold] [link=http://evil.example]click[/link] :smile:\n"
        "  ██████░░░░░░  50%  on track · on the road\n"
        "  due 2026-04-11 · review 2026-05-06 · talks · leadership\n"
        "\n"
        "3 goals: 2 ahead · 1 on track — 0 reviews due\n"
    )


def test_status_is_one_table_at_wide_widths(vault: Path) -> None:
    result = run_goalsite("--today", TODAY, "status", str(vault), env={"COLUMNS": "160"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("Goal "))
    assert header.split() == ["Goal", "Progress", "Pace", "Ahead/behind", "Due", "Review", "due"]
    row = next(line for line in lines if line.startswith("Cut my week"))
    assert row.split()[-7:] == ["80%", "ahead", "30", "days", "ahead", "2026-04-11", "2026-04-01"]
    assert max(len(line) for line in lines) <= 160


@pytest.mark.parametrize(
    ("options", "shown"),
    [
        (("--horizon", "yearly"), ["Lead an engineering team by 2027"]),
        (("--category", "Work-Life"), ["Cut my week from 60 to 50 hours"]),
        (("--status", "paused"), []),
    ],
    ids=["horizon", "category-any-case", "status"],
)
def test_status_filters(vault: Path, options: tuple[str, ...], shown: list[str]) -> None:
    result = run_goalsite("--today", TODAY, "status", str(vault), *options)
    assert result.returncode == 0, result.stderr
    titles = [line[2:] for line in result.stdout.splitlines() if line.startswith("• ")]
    assert titles == shown
    if not shown:
        assert "No goals match." in result.stdout


def test_status_on_an_empty_vault(tmp_path: Path) -> None:
    result = run_goalsite("--today", TODAY, "status", str(tmp_path))
    assert (result.returncode, result.stdout) == (0, "Goals — status on 2026-02-20\nNo goals in this vault yet.\n")


@pytest.mark.parametrize("command", ["status", "review", "export"])
def test_an_unreadable_vault_exits_2(tmp_path: Path, command: str) -> None:
    result = run_goalsite("--today", TODAY, command, str(tmp_path / "missing"))
    assert result.returncode == 2
    assert "missing" in result.stderr


def test_status_escapes_terminal_control_characters(write, tmp_path: Path) -> None:
    write("goals/evil.md", '---\ntitle: "Red \\e[31malert\\e[0m"\nhorizon: weekly\n---\n')
    result = run_goalsite("--today", TODAY, "status", str(tmp_path), env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "• Red  [31malert [0m" in result.stdout


def test_review_lists_due_goals_oldest_first_with_questions_and_values(vault: Path) -> None:
    result = run_goalsite("--today", "2026-05-10", "review", str(vault), env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    # career and hours: start 2026-01-01 + 90 days = 2026-04-01, 39 days before 2026-05-10;
    # talks: its review of 2026-02-05 + 90 days = 2026-05-06. Oldest first, then by id.
    # Values since the last review: talks' own value of 2026-02-05 is not after it; hours were
    # never reviewed, so every value since start counts, and 40 is past the target of 50 (down).
    # career rolls up hours (clamped 1.0) and talks (0.5): 75%; its road: 129 of 364 days = 35%.
    assert result.stdout == (
        "3 reviews due on 2026-05-10\n"
        "\n"
        "Review: Lead an engineering team by 2027\n"
        "  career · review due 2026-04-01 (39 days overdue) · never reviewed, started 2026-01-01\n"
        "  █████████░░░  75%  ahead · the road expects 35% · due 2026-12-31\n"
        "  Values since the last review\n"
        "    no measures: progress rolls up from the goals under it\n"
        "  Questions\n"
        "    1. Evaluate progress: it is ahead of the road. What moved it, and what held it back?\n"
        "    2. Did what you completed since the last review build the competencies intended?\n"
        "    3. Is this yearly goal still right for the 3-year vision?\n"
        "    4. What will you modify: the target, the due date, the measures, the plan, or nothing? Write the\n"
        "       decision in a review entry.\n"
        "\n"
        "Review: Cut my week from 60 to 50 hours\n"
        "  hours · review due 2026-04-01 (39 days overdue) · never reviewed, started 2026-01-01\n"
        "  ████████████ 100%  achieved · the road expects 100% · due 2026-04-11\n"
        "  Values since the last review\n"
        "    Hours worked a week: 2026-02-10 52, 2026-03-01 40 → now 40 hours, target 50\n"
        "  Questions\n"
        "    1. Evaluate progress: it reached its target. What moved it, and what held it back?\n"
        "    2. Did what you completed since the last review build the competencies intended?\n"
        "    3. Is the yearly goal “Lead an engineering team by 2027” still right for the 3-year vision?\n"
        "    4. It reached its target: close it with `status: achieved`, or raise the target? Write the\n"
        "       decision in a review entry.\n"
        "\n"
        "Review: Give 4 talks [/bold] [link=http://evil.example]click[/link] :smile:\n"
        "  talks · review due 2026-05-06 (4 days overdue) · last review 2026-02-05\n"
        "  ██████░░░░░░  50%  overdue · the road expects 100% · due 2026-04-11\n"
        "  Values since the last review\n"
        "    Talks given: no values → now 2 of 4 talks\n"
        "  Questions\n"
        "    1. Evaluate progress: it is past its due date. What moved it, and what held it back?\n"
        "    2. Did what you completed since the last review build the competencies intended?\n"
        "    3. Is the yearly goal “Lead an engineering team by 2027” still right for the 3-year vision?\n"
        "    4. It is past its due date: move `due`, change the target, or close it with `status: missed`?\n"
        "       Write the decision in a review entry.\n"
    )


@pytest.mark.skipif(not (EXAMPLE_VAULT / "goals").is_dir(), reason="the example vault is not there yet")
def test_review_asks_about_the_yearly_goal_and_the_vision_above_it() -> None:
    result = run_goalsite("--today", "2027-02-10", "review", str(EXAMPLE_VAULT), env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    blocks = {block.splitlines()[0]: block for block in result.stdout.split("\n\n")[1:]}
    vision = "“Become Director of Engineering by the end of 2028”"
    # a monthly goal → its quarterly parent → the yearly program → the long-term vision
    toastmasters = blocks["Review: Give two Toastmasters speeches in November as rehearsals"]
    assert ("    3. Is the yearly goal “Complete the company leadership program by April 2027” still "
            f"right for the 3-year vision {vision}?\n") in toastmasters
    assert "    4. It reached its target: close it with `status: achieved`" in toastmasters
    # a quarterly goal right under the vision; its stress score falls from 8 to 5
    stress = blocks["Review: Bring my stress score from 8 to 5 with daily meditation by 18 December"]
    assert f"    3. Is this goal still right for the 3-year vision {vision}?\n" in stress
    assert "    Self-rated stress, end of week: 2026-11-15 6, 2026-11-22 6 → now 6 score (1–10), target 5\n" in stress
    assert "    Days with 10+ minutes of meditation: 2026-11-15 6, 2026-11-22 7 → now 54 of 75 days\n" in stress
    director = blocks["Review: Become Director of Engineering by the end of 2028"]
    assert f"    3. Is {vision} still the 3-year vision you want, or has the picture changed?\n" in director
    program = blocks["Review: Complete the company leadership program by April 2027"]
    assert f"    3. Is this yearly goal still right for the 3-year vision {vision}?\n" in program
    assert ("    2. Did the completed goals (Shadow six senior-leader meetings this quarter, Give two "
            "prepared Toastmasters speeches in June) build the competencies intended?\n") in program


def test_review_when_nothing_is_due(vault: Path) -> None:
    result = run_goalsite("--today", TODAY, "review", str(vault))
    assert (result.returncode, result.stdout) == (
        0, "No review is due on 2026-02-20.\nNext review due 2026-04-01: Lead an engineering team by 2027\n")


def test_export_json_to_stdout(vault: Path) -> None:
    result = run_goalsite("--today", TODAY, "export", str(vault))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout, parse_constant=lambda name: pytest.fail(name))
    assert document["today"] == TODAY
    by_id = {g["id"]: g for g in document["goals"]}
    assert [g["id"] for g in document["goals"]] == ["career", "hours", "talks"]
    assert by_id["talks"]["measures"] == [{"key": "talks", "name": "Talks given", "unit": "talks",
                                           "baseline": 0, "target": 4, "current": 2, "progress": 0.5}]
    assert (by_id["hours"]["progress"], by_id["hours"]["pace"], by_id["hours"]["days_ahead"]) == (0.8, "ahead", 30)
    assert by_id["career"]["path"] == "goals/career.md"
    assert by_id["career"]["progress"] == 0.65


def test_export_ics_and_csv_to_files(vault: Path, tmp_path: Path) -> None:
    ics_path, csv_path = tmp_path / "goals.ics", tmp_path / "goals.csv"
    for fmt, path in (("ics", ics_path), ("csv", csv_path)):
        result = run_goalsite("--today", TODAY, "export", str(vault), "--format", fmt, "-o", str(path))
        assert (result.returncode, result.stdout) == (0, ""), result.stderr
    calendar = icalendar.Calendar.from_ical(ics_path.read_bytes())
    uids = sorted(str(event["UID"]) for event in calendar.walk("VEVENT"))
    # no goalsite.toml: no owner, the default title "Goals" names the vault
    assert uids == ["due-career.goals@goalsite", "due-hours.goals@goalsite", "due-talks.goals@goalsite",
                    "review-career.goals@goalsite", "review-hours.goals@goalsite",
                    "review-talks.goals@goalsite"]
    assert b"\r\n" in ics_path.read_bytes()
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert [(r["goal_id"], r["measure_key"], r["current"]) for r in rows] == [
        ("career", "", ""), ("hours", "hours-worked-a-week", "52"), ("talks", "talks", "2")]


def test_export_to_an_unwritable_place_exits_2(vault: Path, tmp_path: Path) -> None:
    result = run_goalsite("--today", TODAY, "export", str(vault), "-o", str(tmp_path / "no" / "x.json"))
    assert result.returncode == 2
    assert "cannot write" in result.stderr


@pytest.mark.skipif(not (EXAMPLE_VAULT / "goals").is_dir(), reason="the example vault is not there yet")
@pytest.mark.parametrize("columns", ["80", "160"])
def test_status_on_the_example_vault_fits_the_width(columns: str) -> None:
    result = run_goalsite("--today", "2026-11-23", "status", str(EXAMPLE_VAULT), env={"COLUMNS": columns})
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= int(columns)
    assert " goals: " in result.stdout.split("\n\n")[-1]


def status_screen(*args: str, columns: int = 100, env: dict[str, str] | None = None) -> str:
    """What `goalsite` shows on a terminal of `columns`; it must exit 0."""
    code, screen = run_in_a_terminal(*args, columns=columns, env=env)
    assert code == 0, screen
    return screen


def test_status_is_coloured_on_a_terminal_and_plain_in_a_pipe(vault: Path) -> None:
    screen = status_screen("--today", TODAY, "status", str(vault), columns=80)
    # rich's SGR codes: green for `ahead`, cyan for `on track`
    assert "\x1b[32mahead" in screen and "\x1b[36mon track" in screen
    plain = re.sub(r"\x1b\[[0-9;]*m", "", screen).replace("\r\n", "\n")
    piped = run_goalsite("--today", TODAY, "status", str(vault), env={"COLUMNS": "80"}).stdout
    # the same words either way; only the colour (and rich's padding at line ends) differs
    assert [line.rstrip() for line in plain.splitlines()] == piped.splitlines()
    # user text is never markup, on a terminal too
    assert "Give 4 talks [/bold] [link=http://evil.example]click[/link] :smile:" in plain


def test_no_color_turns_colour_off_on_a_terminal(vault: Path) -> None:
    screen = status_screen("--today", TODAY, "status", str(vault), env={"NO_COLOR": "1"})
    codes = {code for sequence in re.findall(r"\x1b\[([0-9;]*)m", screen) for code in sequence.split(";")}
    assert "1" in codes  # bold stays: it is not a colour
    assert not codes & {str(n) for n in (*range(30, 39), *range(90, 98))}, codes


@pytest.mark.skipif(not (EXAMPLE_VAULT / "goals").is_dir(), reason="the example vault is not there yet")
def test_the_example_vaults_calendar_is_valid_icalendar(tmp_path: Path) -> None:
    path = tmp_path / "goals.ics"
    result = run_goalsite("export", str(EXAMPLE_VAULT), "--format", "ics", "-o", str(path))
    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    # RFC 5545 §3.1: CRLF line ends, lines of at most 75 octets, no bare LF
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line and len(line) <= 75 for line in lines)
    calendar = icalendar.Calendar.from_ical(data)
    assert (str(calendar["VERSION"]), calendar.errors) == ("2.0", [])
    assert str(calendar["PRODID"])
    events = list(calendar.walk("VEVENT"))
    # a due event for each of the 12 goals with a due date, a review event for each of the 11 goals
    # with a review date (two achieved goals need none; the draft has a review but no due)
    assert len(events) == 12 + 11
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        assert event.errors == []
        # §3.6.1: UID and DTSTAMP are required; all-day events are DATE values, one day long
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(event)
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is dt.date and (end - start).days == 1


@pytest.mark.parametrize("columns", ["80", "160"])
def test_status_cues_a_goal_whose_numbers_are_achieved_but_still_active(vault: Path, columns: str) -> None:
    # hours: 40 on 2026-03-01 is past the target of 50 (down): achieved, while the file says active
    result = run_goalsite("--today", "2026-03-05", "status", str(vault), env={"COLUMNS": columns})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    if columns == "80":
        at = lines.index("• Cut my week from 60 to 50 hours")
        assert lines[at + 1] == "  ████████████ 100%  achieved · still active"
        assert "still active" not in result.stdout.replace(lines[at + 1], "")
    else:
        assert "hours · work-life · still active" in lines
        assert result.stdout.count("still active") == 1


def test_files_with_format_errors_are_named_so_no_goal_goes_missing_unseen(vault: Path, write) -> None:
    write("goals/broken.md", "---\ntitle: Run a marathon\nstatus: [active\n---\n")
    note = ("Format errors in 1 file (goals/broken.md): their goals or entries may be missing or "
            "incomplete. Run goalsite lint to see them.\n")
    status = run_goalsite("--today", TODAY, "status", str(vault), env={"COLUMNS": "200"})
    assert (status.returncode, status.stdout.endswith("reviews due\n" + note)) == (0, True), status.stdout
    review = run_goalsite("--today", TODAY, "review", str(vault), env={"COLUMNS": "200"})
    assert review.stdout.endswith("Lead an engineering team by 2027\n" + note)
    export = run_goalsite("--today", TODAY, "export", str(vault))
    assert export.returncode == 0 and export.stderr == "goalsite: " + note
    assert [goal["id"] for goal in json.loads(export.stdout)["goals"]] == ["career", "hours", "talks"]


def test_a_vault_whose_only_goal_cannot_be_read_does_not_say_it_is_empty(write, tmp_path: Path) -> None:
    write("goals/broken.md", "---\ntitle: Run a marathon\n")
    result = run_goalsite("--today", TODAY, "status", str(tmp_path), env={"COLUMNS": "200"})
    assert result.stdout == (
        "Goals — status on 2026-02-20\n"
        "No goal could be read.\n"
        "Format errors in 1 file (goals/broken.md): their goals or entries may be missing or "
        "incomplete. Run goalsite lint to see them.\n")


def test_review_asks_a_draft_to_become_smart_and_an_unmeasured_goal_how_it_will_show(write, tmp_path: Path) -> None:
    write("goals/network.md", "---\ntitle: Get better at networking\nstatus: draft\nstart: 2026-01-01\n---\n")
    write("goals/budget.md", "---\ntitle: Budget model\nstart: 2026-01-01\ndue: 2026-12-31\n"
                             "measure: {name: Sections done, baseline: 0, target: 4}\n---\n")
    result = run_goalsite("--today", "2026-05-01", "review", str(tmp_path), env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    budget, network = result.stdout.split("\n\n")[1:]
    assert "    1. Evaluate progress: no values have been logged yet. What held it back?\n" in budget
    assert "    1. Evaluate progress: it has no measure yet. How will you know it is done?\n" in network
    assert ("    4. It is still a draft: make it S.M.A.R.T. (goalsite lint lists what is missing) and set "
            "`status: active`, or drop it? Write the decision in a review entry.\n") in network


@pytest.mark.skipif(not (EXAMPLE_VAULT / "goals").is_dir(), reason="the example vault is not there yet")
@pytest.mark.parametrize(("columns", "summary"), [
    ("160", ["13 goals: 3 achieved · 2 ahead · 3 on track · 1 behind · 1 at risk · 1 overdue · "
             "1 not started · 1 no data — 0 reviews due"]),
    ("80", ["13 goals: 3 achieved · 2 ahead · 3 on track · 1 behind · 1 at risk · 1 overdue",
            "1 not started · 1 no data — 0 reviews due"]),
])
def test_the_summary_breaks_between_its_counts(columns: str, summary: list[str]) -> None:
    result = run_goalsite("status", str(EXAMPLE_VAULT), env={"COLUMNS": columns})
    assert result.stdout.split("\n\n")[-1].splitlines() == summary
