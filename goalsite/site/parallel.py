"""Rendering a site's files on every core, streamed to the writer (issue 10).

The build process keeps the model, the progress and the lint report. For a large site it forks
a pool of workers that inherit them (copy-on-write: nothing of the model is pickled) and sends
each worker chunks of page numbers; a worker renders its pages with its own template cache and
Markdown parsers, and sends back each file's output path, bytes and SHA-256 — plain data only.
Files come back chunk by chunk and go straight to the writer, so no list of every rendered page
is ever held. Small sites, and `jobs == 1`, render in the build process with the same code.

Entries' pages render first: rendering a body also yields its excerpt, and the build hands the
excerpts to the workers of the second pass (goal pages, the journal), which list entries and
would otherwise parse every body again.

Memory (issue 10). A forked worker shares the build's pages of memory until it writes to one,
and merely reading a Python object writes its reference count: a worker that renders for long
ends up with a private copy of most of the model. So each worker is replaced by a fresh fork
after `RECYCLE` tasks, which shares the model again (the goal and journal pages, which read
more of it, go fewer to a task); and the pages that read the whole vault
(dashboard, cascade, lint, exports…) render in the build process itself, between the passes,
where reading the model copies nothing. Before the first fork the build warms what every worker
would otherwise make for itself (`prepare`: the journal's order, the compiled templates).
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from goalsite.site.markdown import MarkdownRenderer
from goalsite.site.plan import Page

# One page's bytes: the Builder's `render_page` with the build's data bound.
RenderPage = Callable[[Page], bytes]
# Called with (done, total) as files are rendered: the CLI's progress bar.
ProgressCallback = Callable[[int, int], None]

# Below this many pages, forking costs more than it saves.
MIN_PAGES_PER_WORKER = 100
# Entry pages per task (the other pages go a quarter as many): big enough to make the round
# trip cheap, small enough to balance the cores.
CHUNK = 48
# Tasks a worker renders before a fresh fork replaces it: the private copies of the model it
# made by reading it are dropped (see above). Forks and the page faults that copy again what
# each new worker writes cost system time, more the larger the build process: at 10,000 goals /
# 50,000 entries, replacing workers after 6 tasks took the peak from 1,576 to 677 MB but the
# build's CPU from 172 to 235 s; after 24 tasks, 740 MB and 200 s.
RECYCLE = 24
# Pages that read the whole vault: rendered by the build process, which holds the model anyway;
# in a worker each would copy all of it.
WHOLE_VAULT = frozenset({"dashboard", "cascade", "timeline", "reviews", "risks", "lint",
                          "goals-json", "calendar", "feed"})


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class RenderedFiles:
    """The files of one build, rendered as they are iterated (once), in no promised order;
    afterwards `digests` holds the SHA-256 (hex) of every file by output path."""

    pages: Sequence[Page]
    render_page: RenderPage
    markdown: MarkdownRenderer
    # Worker processes: None picks every core for a site large enough to gain from them.
    jobs: int | None = None
    on_progress: ProgressCallback | None = None
    # Called once before the first fork, in this process: what every worker would otherwise
    # compute for itself again after each fork (the journal's order, compiled templates).
    prepare: Callable[[], None] | None = None
    chunk: int = CHUNK
    recycle: int = RECYCLE
    digests: dict[str, str] = field(default_factory=dict)
    # How many worker processes rendered (0: this process did), known once iterated.
    workers: int = 0

    def items(self) -> Iterator[tuple[str, bytes]]:
        """(output path, bytes) of every page, streamed."""
        total, done = len(self.pages), 0
        for output, data, digest in self._rendered():
            self.digests[output] = digest
            done += 1
            if self.on_progress is not None:
                self.on_progress(done, total)
            yield output, data

    def _rendered(self) -> Iterator[tuple[str, bytes, str]]:
        jobs = self.jobs or min(default_jobs(), len(self.pages) // MIN_PAGES_PER_WORKER)
        if jobs <= 1 or threading.active_count() > 1:
            # Forking a process that runs other threads (serve's server, the watcher) could
            # copy a lock some thread holds: those render here, one page after another.
            yield from self._here(self.pages)
            return
        if self.prepare is not None:
            self.prepare()
        first = [page for page in self.pages if page.view == "entry"]
        whole = [page for page in self.pages if page.view in WHOLE_VAULT]
        second = [page for page in self.pages if page.view != "entry" and page.view not in WHOLE_VAULT]
        self.workers = jobs
        yield from self._pool(first, jobs, self.chunk)
        # Between the passes no worker runs, so nothing forks while this process renders.
        yield from self._here(whole)
        # A goal page reads its goal's whole subtree and its entries, a journal page twenty
        # entries: smaller tasks keep a worker's lifetime (`recycle` tasks) as short in memory.
        yield from self._pool(second, jobs, max(1, self.chunk // 4))

    def _here(self, pages: Sequence[Page]) -> Iterator[tuple[str, bytes, str]]:
        """`pages` rendered in this process, one after another."""
        for page in pages:
            data = self.render_page(page)
            self.markdown.take_excerpts()  # nobody to hand them to
            yield page.output, data, hashlib.sha256(data).hexdigest()

    def _pool(self, pages: Sequence[Page], jobs: int, chunk: int) -> Iterator[tuple[str, bytes, str]]:
        global _JOB
        if not pages:
            return
        chunks = [(start, min(start + chunk, len(pages))) for start in range(0, len(pages), chunk)]
        _JOB = _Job(pages, self.render_page, self.markdown)
        # Workers inherit the model by fork; frozen objects are skipped by the collector, so it
        # does not touch (and copy) every inherited page of memory.
        gc.freeze()
        try:
            # The pool forks each replacement worker from a thread of its own, while this
            # thread only receives files and writes them (no lock of the renderer is held).
            with multiprocessing.get_context("fork").Pool(jobs, maxtasksperchild=self.recycle) as pool:
                for files, excerpts in pool.imap_unordered(_render_chunk, chunks):
                    self.markdown.add_excerpts(excerpts)
                    yield from files
        finally:
            _JOB = None
            gc.unfreeze()


@dataclass(frozen=True)
class _Job:
    pages: Sequence[Page]
    render_page: RenderPage
    markdown: MarkdownRenderer


_JOB: _Job | None = None


def _render_chunk(span: tuple[int, int]) -> tuple[list[tuple[str, bytes, str]], dict[bytes, str]]:
    """In a worker: render pages `span` of the inherited job; return the files and the excerpts
    learned on the way."""
    job = _JOB
    assert job is not None, "a render worker runs only inside RenderedFiles._pool"
    files = []
    for page in job.pages[span[0]:span[1]]:
        data = job.render_page(page)
        files.append((page.output, data, hashlib.sha256(data).hexdigest()))
    return files, job.markdown.take_excerpts()
