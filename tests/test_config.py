"""goalsite.toml: defaults, every key read, and each problem a finding with its line."""

from __future__ import annotations

import datetime as dt

from goalsite.config import Config, parse_config
from goalsite.dates import Duration


def codes(text: str) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in parse_config(text)[1]]


def test_an_empty_file_gives_the_defaults() -> None:
    assert parse_config("") == (Config(), ())


def test_every_key_is_read() -> None:
    config, findings = parse_config(
        'title = "Alex"\nowner = "Alex"\ncoach = "Sam"\ngoals = "g"\njournal = "j"\n'
        'exclude = ["old/**"]\noutput = "public"\nreview_every = "30d"\npace_tolerance = 5\n'
        'categories = ["skills"]\nunsafe_html = true\nlinkify = true\ntoday = 2026-11-23\n'
        '[lint]\nselect = ["s", "M001"]\nignore = ["A002"]\nseverity = { T001 = "info" }\n'
        "pace_factor = 2\nmin_buffer = 0.1\nmax_active_per_horizon = 5\n"
    )
    assert findings == ()
    assert (config.title, config.owner, config.coach) == ("Alex", "Alex", "Sam")
    assert (config.goals_dir, config.journal_dir, config.output) == ("g", "j", "public")
    assert config.exclude == ("old/**",) and config.categories == ("skills",)
    assert config.review_every == Duration(30, "d") and config.pace_tolerance == 5.0
    assert config.unsafe_html and config.linkify and config.today == dt.date(2026, 11, 23)
    assert config.lint.select == ("S", "M001") and config.lint.ignore == ("A002",)
    assert config.lint.severity == {"T001": "info"}
    assert (config.lint.pace_factor, config.lint.min_buffer, config.lint.max_active_per_horizon) == (2.0, 0.1, 5)


def test_an_unknown_key_is_an_error_at_its_line_with_a_suggestion() -> None:
    config, findings = parse_config('title = "x"\n\n  titel = "y"\n[lint]\nignor = ["S"]\n')
    assert [(f.code, f.line, f.column, f.severity) for f in findings] == [
        ("F011", 3, 3, "error"), ("F011", 5, 1, "error"),
    ]
    assert "did you mean `title`?" in findings[0].message
    assert "did you mean `lint.ignore`?" in findings[1].message
    assert config.title == "x"


def test_a_wrong_type_keeps_the_default_and_says_so() -> None:
    config, findings = parse_config('review_every = "soon"\npace_tolerance = true\ntoday = "monday"\n')
    assert codes('review_every = "soon"\npace_tolerance = true\ntoday = "monday"\n') == [
        ("F002", 1, 1), ("F002", 2, 1), ("F002", 3, 1),
    ]
    assert config == Config()
    assert "'soon' is not a duration" in findings[0].message


def test_invalid_toml_points_at_the_parser_position() -> None:
    assert codes('title = "x"\nowner = \n') == [("F001", 2, 9)]


def test_keys_nested_past_any_setting_are_refused_before_parsing() -> None:
    # 30,000 dotted levels take tomllib seconds (quadratic); no setting nests past [lint.severity]
    deep = 'title = "x"\n\n  ' + ".".join(["a"] * 30000) + " = 1\n"
    config, findings = parse_config(deep)
    assert [(f.code, f.line, f.column) for f in findings] == [("F011", 3, 3)]
    assert config == Config()
    assert codes("[" + ".".join(["lint"] * 9) + "]\n") == [("F011", 1, 2)]
    assert codes('[lint.severity]\nS001 = "info"\n') == []


def test_a_config_file_over_1_mb_is_not_read() -> None:
    assert codes('title = "' + "x" * (1024 * 1024) + '"\n') == [("F013", 1, 1)]
