"""Rules beyond their documented examples: the edges each one must get right."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalsite.lint import lint_vault
from goalsite.load import load_vault
from tests.lint.examples import TODAY


def found(root: Path, *codes: str) -> list[tuple[str, str, int, int]]:
    report = lint_vault(load_vault(root), TODAY, select=codes)
    return [(f.code, f.path, f.line, f.column) for f in report.findings]


def messages(root: Path, code: str) -> list[str]:
    report = lint_vault(load_vault(root), TODAY, select=[code])
    return [f.message for f in report.findings]


GOAL = "goals/g.md"


def test_an_empty_title_points_at_the_title(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: ''\ndue: 2026-12-31\n---\n")
    assert found(tmp_path, "S001") == [("S001", GOAL, 2, 1)]
    assert messages(tmp_path, "S001") == ["`title` is empty"]


@pytest.mark.parametrize("title", [
    "Improve my NPS to 40",            # a number says how much
    "Deliver 5 company presentations",  # no vague word
    "Become an engineering manager",
])
def test_titles_that_are_not_vague(tmp_path: Path, write, title: str) -> None:
    write(GOAL, f"---\ntitle: {title}\n---\n")
    assert found(tmp_path, "S002") == []


@pytest.mark.parametrize("title", ["Improve my writing", "Work on delegation", "Read more books",
                                   "Be a better listener"])
def test_vague_titles(tmp_path: Path, write, title: str) -> None:
    write(GOAL, f"---\ntitle: {title}\n---\n")
    assert found(tmp_path, "S002") == [("S002", GOAL, 2, 8)]


def test_w_questions_answered_by_the_goals_fields(tmp_path: Path, write) -> None:
    write(GOAL, """\
        ---
        title: Deliver 5 company presentations
        owner: Alex Morgan
        due: 2026-12-31
        relevant: Directors pick managers among people they know.
        specific: Present the platform team's results at all-hands meetings.
        ---
        """)
    assert found(tmp_path, "S004") == []


def test_w_questions_lists_only_what_is_missing(tmp_path: Path, write) -> None:
    write(GOAL, """\
        ---
        title: Deliver 5 company presentations
        specific: I will present the platform team's results at all-hands meetings.
        ---
        """)
    assert messages(tmp_path, "S004") == [
        '`specific` "I will present the platform team\'s results at all-hands meetings." '
        "does not say when or why"]


TWO_MEASURES = """\
---
title: Lead the platform team well
measures:
  - {key: reports, baseline: 0, target: 4}
  - {key: engagement, baseline: 3.1, target: 4}
---
"""


def test_value_shorthand_needs_a_goal_with_one_measure(tmp_path: Path, write) -> None:
    write(GOAL, TWO_MEASURES)
    write("journal/e.md", "---\ndate: 2026-03-02\ngoal: g\nvalue: 2\n---\n")
    assert found(tmp_path, "M006") == [("M006", "journal/e.md", 4, 1)]
    assert messages(tmp_path, "M006") == [
        '`value: 2` needs a goal with exactly one measure, but "g" has measures engagement, reports']


def test_a_value_for_another_goal_of_the_entry_is_fine(tmp_path: Path, write) -> None:
    write(GOAL, TWO_MEASURES)
    write("goals/talks.md", "---\ntitle: Deliver 5 talks\nmeasure: {key: talks, baseline: 0, target: 5}\n---\n")
    write("journal/e.md", "---\ndate: 2026-03-02\ngoals: [g, talks]\nvalues: {talks: 1, reprots: 2}\n---\n")
    assert found(tmp_path, "M006") == [("M006", "journal/e.md", 4, 20)]
    assert messages(tmp_path, "M006") == [
        'values: "reprots" is not a measure of "g" (its measures: engagement, reports, talks)'
        ' — did you mean "reports"?']


def test_a_non_numeric_shorthand_value(tmp_path: Path, write) -> None:
    write("journal/e.md", "---\ndate: 2026-03-02\nvalue: three\n---\n")
    assert found(tmp_path, "M007") == [("M007", "journal/e.md", 3, 8)]


HOURS = """\
---
title: Work 50 hours a week at most
start: 2026-01-05
due: 2026-12-31
measures:
  - {key: hours, unit: hours/week, baseline: 60, target: 50}
---
"""


@pytest.mark.parametrize(("current", "reported"), [(59.9, True), (52, False), (60, True)])
def test_pace_needed_on_a_measure_going_down(tmp_path: Path, write, current: float,
                                             reported: bool) -> None:
    write(GOAL, HOURS)
    write("journal/e.md", f"---\ndate: 2026-11-02\ngoal: g\nvalues: {{hours: {current}}}\n---\n")
    # The flow mapping puts `target` on the measure's own line.
    assert found(tmp_path, "A003") == ([("A003", GOAL, 6, 50)] if reported else [])


def test_no_pace_judgement_in_the_first_quarter_of_the_time(tmp_path: Path, write) -> None:
    write(GOAL, HOURS.replace("start: 2026-01-05", "start: 2026-11-01").replace(
        "due: 2026-12-31", "due: 2027-10-31"))
    write("journal/e.md", "---\ndate: 2026-11-02\ngoal: g\nvalues: {hours: 60}\n---\n")
    assert found(tmp_path, "A003") == []


def test_the_pace_message_quotes_both_paces(tmp_path: Path, write) -> None:
    write(GOAL, HOURS)
    write("journal/e.md", "---\ndate: 2026-11-02\ngoal: g\nvalues: {hours: 59}\n---\n")
    assert messages(tmp_path, "A003") == [
        'measure "hours" needs to fall 1.7 a week to reach 50 by 2026-12-31: 76.3× the 0.022 a week '
        "seen since 2026-01-05 (more than 3×)"]


def test_competing_priorities_counts_per_owner_and_horizon(tmp_path: Path, write) -> None:
    for number in range(4):
        write(f"goals/q{number}.md", f"---\ntitle: Goal {number}\nhorizon: quarterly\n---\n")
    write("goals/other.md", "---\ntitle: Other\nhorizon: quarterly\nowner: Sam Lee\n---\n")
    write("goals/y.md", "---\ntitle: Yearly\nhorizon: yearly\n---\n")
    assert [path for _, path, _, _ in found(tmp_path, "A004")] == [
        "goals/q0.md", "goals/q1.md", "goals/q2.md", "goals/q3.md"]


def test_a_goal_that_is_its_own_parent_is_a_cycle(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: Round\nparent: g\n---\n")
    assert found(tmp_path, "R004") == [("R004", GOAL, 3, 9)]
    assert messages(tmp_path, "R004") == ['parent "g" leads back to this goal: g → g']


def test_a_parent_at_the_same_horizon(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: Child\nhorizon: yearly\nparent: p\n---\n")
    write("goals/p.md", "---\ntitle: Parent\nhorizon: yearly\n---\n")
    assert found(tmp_path, "R003") == [("R003", GOAL, 4, 9)]


def test_a_duration_suggests_the_horizon_that_fits(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\nhorizon: quarterly\nstart: 2026-01-05\ndue: 2027-03-05\n---\n")
    report = lint_vault(load_vault(tmp_path), TODAY, select=["T003"])
    assert [(f.message, f.fix) for f in report.findings] == [(
        "a quarterly goal spans about 90 days, but this one spans 424 days (2026-01-05 → 2027-03-05)",
        "Make the horizon and the dates agree: change to `horizon: yearly`, or move the due date, "
        "like `due: 2026-04-05`.",
    )]


def test_due_after_the_deadline(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\nstart: 2026-01-05\ndue: 2026-07-15\ndeadline: 2026-06-30\n---\n")
    assert messages(tmp_path, "T006") == ["due 2026-07-15 is after the deadline 2026-06-30"]


def test_review_overdue_names_the_last_review(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\nstart: 2026-01-05\ndue: 2026-12-31\n---\n")
    write("journal/e.md", "---\ndate: 2026-05-04\ngoal: g\nkind: session\n---\n")
    assert found(tmp_path, "T007") == [("T007", GOAL, 1, 1)]
    assert messages(tmp_path, "T007") == [
        "a review was due on 2026-08-02 (every 90 days) and the last review was on 2026-05-04"]


def test_an_unknown_goal_in_a_list_points_at_its_item(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\n---\n")
    write("journal/e.md", "---\ndate: 2026-03-02\ngoals:\n  - g\n  - h\n---\n")
    assert found(tmp_path, "J001") == [("J001", "journal/e.md", 5, 5)]


def test_after_due_only_values_are_reported(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\nstart: 2026-01-05\ndue: 2026-06-30\n"
                "measure: {key: talks, baseline: 0, target: 5}\n---\n")
    write("journal/a.md", "---\ndate: 2026-07-02\ngoal: g\nkind: review\n---\n")
    write("journal/b.md", "---\ndate: 2026-07-03\ngoal: g\nvalues: {talks: 5}\n---\n")
    assert found(tmp_path, "J003") == [("J003", "journal/b.md", 2, 7)]


def test_an_undeclared_category_is_fine_without_a_declared_set(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\ncategory: anything\n---\n")
    assert found(tmp_path, "F014") == []


def test_fields_written_empty_are_reported_at_their_key(tmp_path: Path, write) -> None:
    write(GOAL, """\
        ---
        title: Deliver 5 talks
        due:
        start:
        specific: ""
        measures: []
        achievable:
        resources: []
        ---
        """)
    report = lint_vault(load_vault(tmp_path), TODAY,
                        select=["T001", "T004", "S003", "M001", "A001", "A002"])
    assert [(f.code, f.line, f.column, f.message) for f in report.findings] == [
        ("T001", 3, 1, "`due` is empty: when will this goal be done?"),
        ("T004", 4, 1, "`start` is empty: goalsite uses " + str(load_vault(tmp_path).goals[0].start)
         + ", from git or the file's date"),
        ("S003", 5, 1, "`specific` is empty: what exactly, who, where and why?"),
        ("M001", 6, 1, "`measures` is empty, so this goal's progress cannot be tracked"),
        ("A001", 7, 1, "`achievable` is empty: why is this realistic for you?"),
        ("A002", 8, 1, "no `resources` are listed: what will you need?"),
    ]


def test_a_measure_key_written_empty_is_reported_at_that_key(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\nmeasures:\n  - key: talks\n    target:\n    baseline:\n---\n")
    assert found(tmp_path, "M002", "M003") == [("M002", GOAL, 5, 5), ("M003", GOAL, 6, 5)]


def test_a_field_the_loader_rejected_is_not_reported_missing_too(tmp_path: Path, write) -> None:
    """`due: 2026-02-30` is F003; saying "no due date" as well would send the user looking for
    a field that is there."""
    write(GOAL, """\
        ---
        title: Deliver 5 talks
        start: 2026-02-31
        due: 2026-02-30
        specific: [a, list]
        measures: 5
        measure2: x
        ---
        """)
    write("goals/m.md", "---\ntitle: M\nspecific: S\nstart: 2026-01-05\ndue: 2026-12-31\n"
                        "measures:\n  - key: talks\n    target: five\n---\n")
    report = lint_vault(load_vault(tmp_path), TODAY,
                        select=["F", "T001", "T004", "S003", "M001", "M002"])
    assert [(f.code, f.path, f.line) for f in report.findings] == [
        ("F003", "goals/g.md", 3), ("F003", "goals/g.md", 4), ("F002", "goals/g.md", 5),
        ("F002", "goals/g.md", 6), ("F010", "goals/g.md", 7), ("F002", "goals/m.md", 8),
    ]


def test_no_relevance_offers_a_longer_goal_of_the_vault_as_parent(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\nhorizon: quarterly\ncategory: skills\n---\n")
    write("goals/vision.md", "---\ntitle: V\nhorizon: long-term\ncategory: skills\n---\n")
    write("goals/year-skills.md", "---\ntitle: Y\nhorizon: yearly\ncategory: skills\n---\n")
    write("goals/year-other.md", "---\ntitle: Y\nhorizon: yearly\ncategory: career\n---\n")
    write("goals/month.md", "---\ntitle: M\nhorizon: monthly\ncategory: skills\nparent: g\n---\n")
    report = lint_vault(load_vault(tmp_path), TODAY, select=["R001"])
    assert [f.fix for f in report.findings if f.path == GOAL] == [
        "Name the longer goal it serves, like `parent: year-skills`, or add `relevant:` saying "
        "why it matters now."]


def test_no_relevance_without_a_longer_goal_gives_a_generic_example(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\nhorizon: yearly\n---\n")
    report = lint_vault(load_vault(tmp_path), TODAY, select=["R001"])
    assert [f.fix for f in report.findings] == [
        "Name the longer goal it serves, like `parent: become-engineering-manager`, or add "
        "`relevant:` saying why it matters now."]


def test_values_in_an_entry_without_a_goal(tmp_path: Path, write) -> None:
    write("goals/presenting.md", "---\ntitle: T\nmeasures: [{key: talks, target: 5}]\n---\n")
    write("goals/hours.md", "---\ntitle: H\nmeasures: [{key: hours, target: 50}]\n---\n")
    write("journal/a.md", "---\ndate: 2026-03-02\nkind: win\nvalues: {hours: 55}\n---\n")
    write("journal/b.md", "---\ndate: 2026-03-02\nkind: reflection\n---\nNo numbers: fine.\n")
    report = lint_vault(load_vault(tmp_path), TODAY, select=["M006"])
    assert [(f.path, f.line, f.column, f.message, f.fix) for f in report.findings] == [(
        "journal/a.md", 4, 1,
        "this entry has `values` but names no goal, so they count toward no measure",
        "Name the goal the values are for, like `goal: hours`.",
    )]


def fixes(root: Path, code: str) -> list[str]:
    report = lint_vault(load_vault(root), TODAY, select=[code])
    return [f.fix for f in report.findings]


def test_the_pace_fix_offers_what_3x_the_pace_reaches_and_when(tmp_path: Path, write) -> None:
    # 60 → 50.5 hours; 59 after 322 days: 3× that pace takes off 0.35 more in the 38 days
    # left (58.65, rounded back toward today's 59), and needs 913 days for the 8.5 hours.
    write(GOAL, HOURS.replace("target: 50}", "target: 50.5}"))
    write("journal/e.md", "---\ndate: 2026-11-02\ngoal: g\nvalues: {hours: 59}\n---\n")
    assert fixes(tmp_path, "A003") == [
        "Make it reachable at 3× the pace so far: lower the target, like `target: 58.7`, or move "
        "the due date, like `due: 2029-05-24`."]


def test_the_pace_fix_on_whole_numbers_moves_only_the_date(tmp_path: Path, write) -> None:
    # 59 rounded back toward 59 is no step: only a later date helps.
    write(GOAL, HOURS)
    write("journal/e.md", "---\ndate: 2026-11-02\ngoal: g\nvalues: {hours: 59}\n---\n")
    assert fixes(tmp_path, "A003") == [
        "Make it reachable at 3× the pace so far: move the due date, like `due: 2029-07-16`."]


def test_the_pace_fix_keeps_a_count_whole(tmp_path: Path, write) -> None:
    """2 talks in 322 days: 3× that pace adds 0.7 talk by due, so only a later date helps."""
    write(GOAL, "---\ntitle: G\nstart: 2026-01-05\ndue: 2026-12-31\n"
                "measures: [{key: talks, aggregate: sum, baseline: 0, target: 10}]\n---\n")
    write("journal/e.md", "---\ndate: 2026-05-04\ngoal: g\nvalues: {talks: 2}\n---\n")
    assert fixes(tmp_path, "A003") == [
        "Make it reachable at 3× the pace so far: move the due date, like `due: 2028-01-27`."]


def test_a_measure_that_never_moved_is_asked_for_its_progress(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\nstart: 2026-01-05\ndue: 2026-12-31\n"
                "measures: [{key: talks, aggregate: sum, baseline: 0, target: 10}]\n---\n")
    write("journal/e.md", "---\ndate: 2026-05-04\ngoal: g\nvalues: {talks: 0}\n---\n")
    assert fixes(tmp_path, "A003") == [
        "Log the progress you have made, like `goalsite log g talks=…`, or make it reachable: "
        "lower the target or move `due` later."]


def test_the_review_fix_is_a_command_that_resets_the_clock(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\nstart: 2026-01-05\ndue: 2026-12-31\n---\n")
    assert fixes(tmp_path, "T007") == [
        "Review the goal and log it in a journal entry with `kind: review`, like "
        "`goalsite new entry g --kind review`."]


def test_competing_priorities_names_three_rivals_at_most(tmp_path: Path, write) -> None:
    for name in "abcdef":
        write(f"goals/{name}.md", f"---\ntitle: Goal {name}\nhorizon: monthly\n---\n")
    assert messages(tmp_path, "A004")[0] == (
        "6 monthly goals are active at once (more than 3): this one competes with b, c, d "
        "and 2 more")


def test_a_long_cycle_is_shown_by_its_ends(tmp_path: Path, write) -> None:
    for index in range(10):
        write(f"goals/g{index}.md", f"---\ntitle: G{index}\nparent: g{(index + 1) % 10}\n---\n")
    assert messages(tmp_path, "R004")[0] == (
        'parent "g1" leads back to this goal: g0 → g1 → g2 → … 6 more → g9 → g0')


def test_a_goal_leading_into_a_cycle_is_not_in_it(tmp_path: Path, write) -> None:
    write("goals/tail.md", "---\ntitle: T\nparent: a\n---\n")
    write("goals/a.md", "---\ntitle: A\nparent: b\n---\n")
    write("goals/b.md", "---\ntitle: B\nparent: a\n---\n")
    assert found(tmp_path, "R004") == [("R004", "goals/a.md", 3, 9), ("R004", "goals/b.md", 3, 9)]


def test_thousands_of_goals_lint_in_linear_time(tmp_path: Path, write) -> None:
    """Walking every goal's whole parent chain (R004), and looking through every goal for a
    parent to offer (R001), were quadratic: these 2,000 goals took a minute."""
    import time

    for index in range(1000):  # one cycle of 1,000 goals
        write(f"goals/chain/g{index}.md", f"---\ntitle: G{index}\nparent: g{(index + 1) % 1000}\n---\n")
    horizons = ("long-term", "yearly", "quarterly", "monthly", "weekly")
    for index in range(1000):  # 1,000 goals without a parent
        write(f"goals/flat/f{index}.md", f"---\ntitle: F{index}\nhorizon: {horizons[index % 5]}\n---\n")
    vault = load_vault(tmp_path)
    began = time.perf_counter()
    report = lint_vault(vault, TODAY)
    assert time.perf_counter() - began < 10
    counts = dict(report.statistics())
    assert (counts["R004"], counts["R001"]) == (1000, 800)


def test_did_you_mean_has_a_budget(tmp_path: Path, write, monkeypatch) -> None:
    """Each guess compares the typo with every goal id: a run stops guessing after its budget
    (here 2 guesses in a vault of 3 goals), but a typo it already guessed keeps its hint."""
    from goalsite.lint import engine

    monkeypatch.setattr(engine, "_GUESS_BUDGET", 6)
    for name in ("presenting", "mentoring", "hours"):
        write(f"goals/{name}.md", f"---\ntitle: {name}\n---\n")
    for index, typo in enumerate(("presentng", "mentorng", "presentng", "houers")):
        write(f"journal/e{index}.md", f"---\ndate: 2026-03-0{index + 1}\ngoal: {typo}\n---\n")
    assert messages(tmp_path, "J001") == [
        'goal "presentng" is not the id of any goal — did you mean "presenting"?',
        'goal "mentorng" is not the id of any goal — did you mean "mentoring"?',
        'goal "presentng" is not the id of any goal — did you mean "presenting"?',
        'goal "houers" is not the id of any goal',
    ]


def test_a_missing_parent_is_offered_a_real_goal(tmp_path: Path, write) -> None:
    write(GOAL, "---\ntitle: G\nhorizon: quarterly\nparent: zzz\n---\n")
    write("goals/vision.md", "---\ntitle: V\nhorizon: long-term\n---\n")
    assert fixes(tmp_path, "R002") == ["Write the id of an existing goal, like `parent: vision`."]


def test_an_unknown_goal_without_a_guess_is_offered_a_real_goal(tmp_path: Path, write) -> None:
    write("goals/mentoring.md", "---\ntitle: M\n---\n")
    write("goals/archive.md", "---\ntitle: A\nstatus: dropped\n---\n")
    write("journal/e.md", "---\ndate: 2026-03-02\ngoal: zzz\n---\n")
    assert fixes(tmp_path, "J001") == ["Write the id of an existing goal, like `goal: mentoring`."]
