"""The Vault's indexes and its cascade (issue 3): goals by id, entries by goal, children by
parent, roots and the depth-first cascade, whatever the parent links look like."""

from __future__ import annotations

import datetime as dt

from goalsite.model import PlaceTable, Position, PositionTable
from tests.progress_builders import entry, goal, vault

D = dt.date


def _programme(*more):
    """A vision, two yearly goals under it, a quarterly one under a yearly, three entries."""
    return vault(
        goal("vision", horizon="long-term"),
        goal("program", parent="vision", horizon="yearly"),
        goal("pmp", parent="vision", horizon="yearly", due=D(2026, 3, 1)),
        goal("talks", parent="program"),
        entry(D(2026, 2, 1), goal_id="talks", value=1),
        entry(D(2026, 1, 5), goal_id="talks", kind="session"),
        entry(D(2026, 1, 9), goal_id="pmp", value=3),
        *more,
    )


def test_indexes_by_id_by_goal_and_by_parent() -> None:
    items = _programme()
    assert items.goal("talks") is items.goal_by_id["talks"] and items.goal("nope") is None
    assert [e.date for e in items.entries_for("talks")] == [D(2026, 1, 5), D(2026, 2, 1)]
    assert items.entries_for("vision") == ()
    # children sort like the cascade: by horizon, then due date (pmp's 2026-03-01 first), then id
    assert [g.id for g in items.children("vision")] == ["pmp", "program"]
    assert [g.id for g in items.ancestors(items.goal("talks"))] == ["program", "vision"]


def test_the_cascade_is_depth_first_from_the_longest_horizon() -> None:
    items = vault(
        goal("weekly-alone", horizon="weekly"),
        goal("vision", horizon="long-term"),
        goal("program", parent="vision", horizon="yearly"),
        goal("talks", parent="program", horizon="quarterly"),
        goal("orphan", parent="missing-parent", horizon="monthly"),
        goal("no-horizon", horizon=None),
    )
    assert [(g.id, depth) for g, depth in items.cascade()] == [
        ("vision", 0), ("program", 1), ("talks", 2),
        ("orphan", 0),  # its parent does not exist: it is a root of its own
        ("weekly-alone", 0), ("no-horizon", 0),
    ]
    assert [g.id for g in items.roots] == ["vision", "orphan", "weekly-alone", "no-horizon"]


def test_a_parent_cycle_is_shown_once_from_its_smallest_id() -> None:
    items = vault(goal("b", parent="a"), goal("a", parent="c"), goal("c", parent="b"),
                  goal("d", parent="d"))
    assert [(g.id, depth) for g, depth in items.cascade()] == [
        ("a", 0), ("b", 1), ("c", 2), ("d", 0)]
    assert [g.id for g in items.ancestors(items.goal("a"))] == ["c", "b"]


def test_a_chain_of_thousands_of_parents_does_not_recurse() -> None:
    depth = 5000
    items = vault(*(goal(f"g{i:05d}", parent=f"g{i - 1:05d}" if i else None) for i in range(depth)))
    cascade = items.cascade()
    assert len(cascade) == depth
    assert (cascade[-1][0].id, cascade[-1][1]) == (f"g{depth - 1:05d}", depth - 1)
    assert len(items.ancestors(items.goal(f"g{depth - 1:05d}"))) == depth - 1


def _indexes(v) -> tuple[object, ...]:
    return (v.goal_by_id, v.goal_by_path, v.entry_by_path, v.children_by_parent,
            v.entries_by_goal, v.roots, v.cascade(), v.parent_cycles)


def test_replacing_patches_the_indexes_as_building_them_afresh_would() -> None:
    """Watch mode's preview swaps in new readings of files: the patched indexes equal those of
    a vault made from the same goals and entries."""
    from dataclasses import replace

    items = _programme(entry(D(2026, 1, 9), goal_id="program", value=4))
    _indexes(items)  # built, so that replacing has indexes to patch
    # pmp's new due date moves it after program among vision's children; an entry moves from
    # talks to pmp and program (twice), another changes its value.
    pmp = replace(items.goal("pmp"), due=D(2027, 1, 1), title="PMP")
    moved = replace(items.entries_for("talks")[1], goals=("pmp", "program", "program"))
    valued = replace(items.entries_for("pmp")[0], values=())
    patched = items.replacing([pmp], [moved, valued])
    fresh = vault(*(pmp if g.id == "pmp" else g for g in items.goals),
                  *({moved.path: moved, valued.path: valued}.get(e.path, e) for e in items.entries))
    assert patched.goals == fresh.goals and patched.entries == fresh.entries
    assert _indexes(patched) == _indexes(fresh)
    assert [g.id for g in patched.children("vision")] == ["program", "pmp"]
    assert [e.goals for e in patched.entries_for("program")] == [
        ("program",), ("pmp", "program", "program"), ("pmp", "program", "program")]
    assert _indexes(items) != _indexes(patched)  # the vault it came from is as it was


def test_position_tables_read_a_compact_table_that_files_with_the_same_keys_share() -> None:
    places = {("title",): (2, 1, 2, 8), ("measure",): (3, 1, 4, 3), ("measure", "target"): (4, 3, 4, 11)}
    one, two = PlaceTable(places), PlaceTable(dict(places))
    assert one.index is two.index  # one layout for both files
    keys, values = PositionTable(one, value=False), PositionTable(one, value=True)
    assert dict(keys) == {path: Position(*place[:2]) for path, place in places.items()}
    assert dict(values) == {path: Position(*place[2:]) for path, place in places.items()}
    assert list(keys) == list(places) and len(values) == 3 and ("title",) in keys
    assert keys.get(("nothing",)) is None
    # An alias reaches both tables of its file, and no other file's.
    keys.alias(("measure",), ("measures", 0))
    assert values[("measures", 0, "target")] == Position(4, 11)
    assert keys[("measures", 0)] == Position(3, 1)
    assert ("measures", 0) not in PositionTable(two, value=False)
    assert keys[("title",)] == Position(2, 1)


def test_position_tables_keep_line_numbers_past_two_bytes() -> None:
    # Numbers are kept in two bytes each where they fit (issue 10, memory); a file longer than
    # that keeps them all.
    table = PositionTable(PlaceTable({("a",): (1, 1, 1, 4), ("b",): (70_000, 3, 70_001, 5)}),
                          value=True)
    assert table[("b",)] == Position(70_001, 5) and table[("a",)] == Position(1, 4)


def test_a_source_keeps_its_body_packed_and_gives_it_back_as_written() -> None:
    from goalsite.model import Source

    body = "# Notes\n\nSee [[Goal-One]] and [[goal-two|the other]] — ünïcode, [[goal-one]].\n" * 20
    source = Source("journal/a.md", Position(1, 1), {}, {}, body, 5)
    assert source.body == body and len(source.packed) < len(body.encode("utf-8"))
    assert source.links == ("goal-one", "goal-two")
    assert Source("a.md", Position(1, 1), {}, {}, "", 1).body == ""
