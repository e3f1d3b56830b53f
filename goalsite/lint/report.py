"""A `LintReport` as text for people and machines: text, json, github, sarif (SPEC §4), the
`--statistics` table, `--explain CODE`, and docs/rules.md — all made from the registry."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Literal

from goalsite.finding import Finding, Severity
from goalsite.lint.engine import LintReport
from goalsite.lint.registry import LETTERS, Rule, all_rules

OutputFormat = Literal["text", "json", "github", "sarif"]
FORMATS: tuple[OutputFormat, ...] = ("text", "json", "github", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
JSON_KEYS = ("path", "line", "column", "code", "severity", "message", "fix")

# Paints a piece of text in a style ("error", "warning", "info", "path", "code", "dim").
Painter = Callable[[str, str], str]


def plain(text: str, style: str) -> str:
    return text


def render(report: LintReport, output: OutputFormat, *, paint: Painter = plain,
           prefix: str = "", version: str = "") -> str:
    """The report in `output` format; `prefix` is prepended to paths in github annotations."""
    if output == "json":
        return render_json(report)
    if output == "github":
        return render_github(report, prefix=prefix)
    if output == "sarif":
        return render_sarif(report, version=version, prefix=prefix)
    return render_text(report, paint=paint)


def render_text(report: LintReport, *, paint: Painter = plain) -> str:
    """`path:line:col: CODE severity message`, the fix indented below, files apart, a summary."""
    lines: list[str] = []
    previous: str | None = None
    for finding in report.findings:
        if previous is not None and finding.path != previous:
            lines.append("")
        previous = finding.path
        where = paint(f"{finding.path}:{finding.line}:{finding.column}:", "path")
        lines.append(f"{where} {paint(finding.code, 'code')} "
                     f"{paint(finding.severity, finding.severity)} {finding.message}")
        lines.append(paint(f"    fix: {finding.fix}", "dim"))
    if lines:
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: LintReport) -> str:
    """`3 errors, 5 warnings, 2 info in 40 files`."""
    errors, warnings, infos = (report.count(level) for level in ("error", "warning", "info"))
    files = f"{report.files} file{'s' if report.files != 1 else ''}"
    return (f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}, {infos} info in {files}")


def render_statistics(report: LintReport) -> str:
    """A count per code, most frequent first, as ruff's `--statistics`."""
    rules = {rule.code: rule for rule in all_rules()}
    rows = [
        f"{count:>5}  {code}  {rules[code].summary if code in rules else ''}".rstrip()
        for code, count in report.statistics()
    ]
    return "\n".join(rows) + ("\n" if rows else "")


def render_statistics_json(report: LintReport) -> str:
    """`--statistics --format json`: `[{"code", "count", "summary"}]`, most frequent first."""
    rules = {rule.code: rule for rule in all_rules()}
    rows = [{"code": code, "count": count, "summary": rules[code].summary if code in rules else ""}
            for code, count in report.statistics()]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def finding_record(finding: Finding) -> dict[str, object]:
    """A finding as the 7 keys of the json output, in their documented order."""
    return {key: getattr(finding, key) for key in JSON_KEYS}


def render_json(report: LintReport) -> str:
    """A JSON array of findings, each exactly `path, line, column, code, severity, message, fix`."""
    return json.dumps([finding_record(f) for f in report.findings], indent=2, ensure_ascii=False) + "\n"


def render_github(report: LintReport, *, prefix: str = "") -> str:
    """GitHub workflow commands: one `::error|warning|notice file=…,line=…,col=…,title=CODE::…`
    line per finding; the fix follows the message on a second line of the annotation."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for finding in report.findings:
        properties = ",".join((
            f"file={_property(prefix + finding.path)}",
            f"line={finding.line}",
            f"col={finding.column}",
            f"title={_property(finding.code)}",
        ))
        text = _data(f"{finding.message}\nfix: {finding.fix}")
        lines.append(f"::{level[finding.severity]} {properties}::{text}")
    return "".join(line + "\n" for line in lines)


def _data(text: str) -> str:
    # GitHub's workflow-command escaping: % first, then line breaks.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_sarif(report: LintReport, *, version: str = "", prefix: str = "") -> str:
    """SARIF 2.1.0: one run, one rule descriptor per registered code, one result per finding."""
    rules = all_rules()
    index = {rule.code: number for number, rule in enumerate(rules)}
    level = {"error": "error", "warning": "warning", "info": "note"}
    results = []
    for finding in report.findings:
        result: dict[str, object] = {
            "ruleId": finding.code,
            "level": level[finding.severity],
            "message": {"text": f"{finding.message}. Fix: {finding.fix}"},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(prefix + finding.path)},
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                },
            }],
            "properties": {"fix": finding.fix},
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        results.append(result)
    driver: dict[str, object] = {
        "name": "goalsite",
        "rules": [_descriptor(rule, level) for rule in rules],
    }
    if version:
        driver["version"] = version
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _descriptor(rule: Rule, level: dict[str, str]) -> dict[str, object]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _first_paragraph(rule.doc)},
        "help": {"text": rule.doc.replace("**", ""), "markdown": rule.doc},
        "defaultConfiguration": {"level": level[rule.severity]},
        "properties": {"tags": [LETTERS[rule.letter].lower()]},
    }


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


def _first_paragraph(doc: str) -> str:
    paragraph = doc.split("\n\n", 1)[0].replace("\n", " ")
    return paragraph.replace("**What it does.** ", "")


def explain(rule: Rule) -> str:
    """`goalsite lint --explain CODE`: the rule's documentation as it reads in docs/rules.md."""
    return f"{rule.code} ({rule.name}) — {rule.summary}\n" \
           f"Letter: {LETTERS[rule.letter]}. Default severity: {rule.severity}.\n\n{rule.doc}\n"


def rules_markdown(rules: Sequence[Rule] | None = None) -> str:
    """docs/rules.md: every rule, grouped by letter, made from the registry."""
    rules = tuple(rules or all_rules())
    out = [
        "# Lint rules",
        "",
        "<!-- Generated from goalsite/lint/ by `goalsite lint --list-rules --format markdown`;",
        "     do not edit by hand (tests/test_lint_docs.py fails when it is out of date). -->",
        "",
        "`goalsite lint` checks what makes a goal not yet S.M.A.R.T. (SPEC §4). Every rule has a",
        "code, a default severity, and a failing and a passing example; the examples that depend",
        "on the date are evaluated on 2026-11-23 (`goalsite --today 2026-11-23 lint`).",
        "",
        "Choose rules in `goalsite.toml` (`[lint] select`, `ignore`, `severity`, by code or",
        "prefix, the longest prefix winning), on the command line (`--select`, `--ignore`), or in",
        "one file (`lint: {ignore: [S004]}`). `goalsite lint --explain CODE` prints one rule.",
        "",
        "**Drafts.** A goal with `status: draft` is linted like any other — its author sees what",
        "is missing before activating it — but a rule's error in a draft is reported as a",
        "warning, so work in progress never fails a build. Format errors (F) stay errors.",
        f"Rules about how a goal is going ({', '.join(r.code for r in rules if r.progress)})"
        " read only active goals.",
        "",
        "| code | severity | summary |",
        "|---|---|---|",
    ]
    out += [f"| [{r.code}](#{r.code.lower()}) | {r.severity} | {r.summary} |" for r in rules]
    letter = ""
    for rule in rules:
        if rule.letter != letter:
            letter = rule.letter
            out += ["", f"## {letter} — {LETTERS[letter]}"]
        out += ["", f"### {rule.code}", "", f"`{rule.name}` · {rule.severity} · {rule.summary}"]
        if rule.progress:
            out += ["", "*Active goals only.*"]
        out += ["", rule.doc]
    return "\n".join(out) + "\n"
