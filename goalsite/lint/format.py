"""F — format: the file can be read as a goal or an entry at all (SPEC §4).

The loader emits F001–F013 itself while reading (it alone knows the YAML's own positions);
they are registered here so that the registry documents them and config can select, ignore
and re-grade them like any rule. F014 is checked here, on the loaded goals.
"""

from __future__ import annotations

from collections.abc import Iterator

from goalsite.lint.engine import Context
from goalsite.lint.registry import Hit, closest, quoted, rule
from goalsite.model import Goal


@rule("F001", "error", "front matter is not valid YAML, TOML or JSON", scope="loader")
def syntax_error() -> None:
    """**What it does.** Reports front matter that its parser cannot read, at the line and
    column the YAML, TOML or JSON parser gives.

    **Why it matters.** Nothing in a file that cannot be parsed can be checked or shown: the
    goal disappears from the site until the syntax is fixed.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    due: [2026-12-31
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    due: 2026-12-31
    ---
    ```
    """


@rule("F002", "error", "a value has the wrong type or is not allowed", scope="loader")
def wrong_type() -> None:
    """**What it does.** Reports a value of the wrong type or outside the allowed set: text
    where a number is expected, an unknown `status`, `horizon` or `aggregate`, YAML reading
    `yes`, `no`, `on` or `off` as a boolean where text is expected, NaN, infinity, numbers too
    large.

    **Why it matters.** goalsite cannot guess what was meant; the value is ignored, and the goal
    is shown as if the field were missing.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    status: finished
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    status: achieved
    ---
    ```
    """


@rule("F003", "error", "a date does not exist", scope="loader")
def invalid_date() -> None:
    """**What it does.** Reports a date that is not a real day, like `2026-02-30`, or is not
    written as `YYYY-MM-DD`.

    **Why it matters.** Dates place the goal on the road from start to due; a wrong one would
    silently move the whole plan.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    due: 2026-02-30
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    due: 2026-02-28
    ---
    ```
    """


@rule("F004", "error", "a key appears twice", scope="loader")
def duplicate_key() -> None:
    """**What it does.** Reports a key written twice in the same mapping.

    **Why it matters.** YAML keeps only one of the two values, and it may not be the one you
    read last: the file says two things at once.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    due: 2026-12-31
    due: 2027-03-31
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    due: 2027-03-31
    ---
    ```
    """


@rule("F005", "error", "two goals have the same id", scope="loader")
def duplicate_id() -> None:
    """**What it does.** Reports a goal whose `id` (or file name, when there is no `id`) is
    already taken by another goal of the vault.

    **Why it matters.** Journal entries and children find their goal by id: with two goals of
    one id they would attach to either.

    **Failing example**

    `goals/2026/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    ---
    ```

    `goals/2027/presenting.md`
    ```markdown
    ---
    title: Deliver 8 company presentations
    ---
    ```

    **Passing example**

    `goals/2026/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    ---
    ```

    `goals/2027/presenting.md`
    ```markdown
    ---
    id: presenting-2027
    title: Deliver 8 company presentations
    ---
    ```
    """


@rule("F006", "error", "an id is not a valid slug", scope="loader")
def invalid_id() -> None:
    """**What it does.** Reports an `id` that is not lowercase letters, digits and dashes
    (`[a-z0-9][a-z0-9-]*`), for example one with spaces, a slash or `..`.

    **Why it matters.** The id names the goal's page and links to it; it must be safe in a URL
    and a file name.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    id: Company Presentations
    title: Deliver 5 company presentations
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    id: company-presentations
    title: Deliver 5 company presentations
    ---
    ```
    """


@rule("F007", "error", "front matter is missing or not closed", scope="loader")
def missing_front_matter() -> None:
    """**What it does.** Reports a goal or entry file without front matter, or whose opening
    `---` (or `+++`) is never closed.

    **Why it matters.** Without front matter the file has no title, dates or measures; an
    unclosed block swallows the whole body as YAML.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations

    I want to speak at the all-hands.
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    ---

    I want to speak at the all-hands.
    ```
    """


@rule("F008", "error", "front matter is not a mapping", scope="loader")
def not_a_mapping() -> None:
    """**What it does.** Reports front matter that is a list or a single value instead of
    `key: value` pairs.

    **Why it matters.** Every field of a goal is a key: a list has none.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    - Deliver 5 company presentations
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    ---
    ```
    """


@rule("F009", "error", "the file cannot be read as UTF-8 text", scope="loader")
def unreadable_file() -> None:
    """**What it does.** Reports a file that cannot be read, is not UTF-8 text (for example
    saved as Latin-1 or UTF-16), or is binary.

    **Why it matters.** goalsite would have to guess the characters, and a guess can change
    what the goal says.

    **Failing example**

    A goal file saved by an old editor in Latin-1: `title: Présenter 5 fois` is the bytes
    `50 72 E9 73 65 6E 74 65 72`, and `E9` alone is not UTF-8.

    **Passing example**

    The same file saved as UTF-8 (every editor's "Save with encoding → UTF-8").
    """


@rule("F010", "info", "a field goalsite does not know", scope="loader")
def unknown_field() -> None:
    """**What it does.** Reports a front-matter key that is not a goalsite field, with a "did
    you mean" when it looks like a typo of one. The value is kept: you may add your own fields.

    **Why it matters.** A typo like `tittle` or `dew` silently leaves the real field empty.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    dew: 2026-12-31
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    due: 2026-12-31
    ---
    ```
    """


@rule("F011", "error", "goalsite.toml has a setting goalsite does not know", scope="loader")
def unknown_setting() -> None:
    """**What it does.** Reports a key of `goalsite.toml` that is not a setting (SPEC §7), with
    a "did you mean" when it looks like a typo of one.

    **Why it matters.** A misspelt setting silently keeps its default.

    **Failing example**

    `goalsite.toml`
    ```toml
    titel = "Alex Morgan — career goals"
    ```

    **Passing example**

    `goalsite.toml`
    ```toml
    title = "Alex Morgan — career goals"
    ```
    """


@rule("F012", "error", "YAML anchors, aliases or tags are refused", scope="loader")
def yaml_alias() -> None:
    """**What it does.** Reports YAML anchors (`&name`), aliases (`*name`) and tags
    (`!!python/object`) in front matter.

    **Why it matters.** A vault may be cloned from anyone: aliases can multiply into billions of
    values (an "alias bomb") and tags can ask a YAML library to build objects. goalsite reads
    plain data only.

    **Failing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: &t Deliver 5 company presentations
    specific: *t
    ---
    ```

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    specific: Present our team's results at 5 all-hands meetings.
    ---
    ```
    """


@rule("F013", "error", "front matter is too deep or too large", scope="loader")
def too_large() -> None:
    """**What it does.** Reports front matter nested deeper than any goal needs, or larger
    than any goal needs.

    **Why it matters.** Such a file is a mistake or an attack; reading it could exhaust memory.

    **Failing example**

    A goal whose front matter is a list nested a hundred levels deep (`[[[[[ … ]]]]]`).

    **Passing example**

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    tags: [speaking, visibility]
    ---
    ```
    """


@rule("F014", "warning", "a category the vault does not declare")
def unknown_category(goal: Goal, ctx: Context) -> Iterator[Hit]:
    """**What it does.** When `goalsite.toml` declares `categories`, reports a goal whose
    `category` is not one of them.

    **Why it matters.** The dashboard groups goals by category: a typo puts the goal in a group
    of its own, away from the goals it belongs with.

    **Failing example**

    `goalsite.toml`
    ```toml
    categories = ["leadership", "skills"]
    ```

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    category: leadershp
    ---
    ```

    **Passing example**

    `goalsite.toml`
    ```toml
    categories = ["leadership", "skills"]
    ```

    `goals/presenting.md`
    ```markdown
    ---
    title: Deliver 5 company presentations
    category: leadership
    ---
    ```
    """
    known = ctx.config.categories
    if not known or goal.category is None or goal.category in known:
        return
    guess = closest(goal.category, known)
    hint = f" — did you mean {quoted(guess)}?" if guess else ""
    yield Hit(
        f"category {quoted(goal.category)} is not one of the vault's categories "
        f"({', '.join(known)}){hint}",
        f"Use a declared category, like `category: {guess or known[0]}`, or add it to "
        "`categories` in goalsite.toml.",
        ("category",), on_value=True,
    )
