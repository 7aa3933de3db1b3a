"""The `rhizo` command line: parses options, calls one library function, prints the result.

Library errors (`errors.RhizoError`) become one-line `Error: ...` messages with exit status 1, here
and only here. Progress goes to stderr (`--quiet` silences it); results go to stdout.
"""
from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import click

from . import config
from .cli_app import App
from .cli_output import table as _table
from .errors import RhizoError


class RhizoGroup(click.Group):
    def invoke(self, ctx: click.Context):
        from sqlalchemy.exc import OperationalError
        try:
            return super().invoke(ctx)
        except RhizoError as exc:
            raise click.ClickException(str(exc)) from None
        except (OperationalError, sqlite3.OperationalError) as exc:
            from .db import is_read_only, read_only_message
            if is_read_only(exc) and isinstance(ctx.obj, App):
                raise click.ClickException(read_only_message(ctx.obj.db)) from None
            raise


pass_app = click.make_pass_decorator(App)

# What `rhizo demo` ingests from the samples folder, in order.
DEMO_INPUTS = (("thread", "threads/*"), ("jsonl", "*.jsonl"), ("reddit-json", "reddit/*.json"))


@click.group(cls=RhizoGroup)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar=config.DB_ENV,
              default=config.DEFAULT_DB, show_default=True, help="SQLite database (env RHIZO_DB).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars or notes on stderr.")
@click.version_option(package_name="rhizo-voices")
@click.pass_context
def main(ctx: click.Context, db: Path, quiet: bool) -> None:
    """rhizo-voices: moderated analysis of what patients report after spinal rhizotomy / RFA.

    \b
    Typical run:
      rhizo ingest thread samples/threads/*.txt
      rhizo analyze
      rhizo moderate queue
      rhizo report -o reports/report.md
    """
    source = ctx.get_parameter_source("db")
    ctx.obj = App(db, quiet, db_given=source != click.core.ParameterSource.DEFAULT)


def _global_db(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        app = ctx.find_object(App)
        app.db, app.db_given = value, True


def _global_quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_object(App).quiet = True


def accept_global_options(group: click.Group) -> None:
    """Let ``--db`` and ``--quiet`` follow any subcommand too (``rhizo sources --db x.db``), as the
    README promises; ``-q`` too where the command has no ``-q`` of its own."""
    for command in group.commands.values():
        taken = {opt for p in command.params for opt in getattr(p, "opts", [])}
        command.params.append(click.Option(
            ["--db"], type=click.Path(dir_okay=False, path_type=Path), default=None, expose_value=False,
            callback=_global_db, is_eager=True, help="SQLite database (as before the command)."))
        command.params.append(click.Option(
            ["--quiet"] + ([] if "-q" in taken else ["-q"]), is_flag=True, default=False, expose_value=False,
            callback=_global_quiet, is_eager=True, help="No progress or notes on stderr."))
        if isinstance(command, click.Group):
            accept_global_options(command)


# --------------------------------------------------------------------------------------- ingest

@main.group()
def ingest() -> None:
    """Collect comments into the database (re-ingesting the same input adds nothing)."""


def _ingest(app: App, fmt: str, files: tuple[Path, ...]) -> None:
    from .ingest import ingest_files
    with app.step(f"reading and storing {len(files)} file(s)"):
        results = ingest_files(app.engine, app.db, fmt, files)
    for r in results:
        gone = f"; withdrew {r.withdrawn} deleted at the source" if r.withdrawn else ""
        click.echo(f"{r.locator}: {r.new} new, {r.updated} updated, {r.seen} seen in {r.threads} thread(s){gone}")


@ingest.command("thread")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_app
def ingest_thread(app: App, files: tuple[Path, ...]) -> None:
    """Comment threads saved as text (numbered, indented replies, as in samples/threads/) or as
    HTML (WordPress comment lists). An article without comments gives zero comments."""
    _ingest(app, "thread", files)


@ingest.command("reddit-json")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_app
def ingest_reddit_json(app: App, files: tuple[Path, ...]) -> None:
    """Saved Reddit threads: the JSON of /comments/<id>.json (a list of two Listings)."""
    _ingest(app, "reddit-json", files)


@ingest.command("jsonl")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_app
def ingest_jsonl(app: App, files: tuple[Path, ...]) -> None:
    """One comment per line: id, thread, author, created, parent (an id or null), body."""
    _ingest(app, "jsonl", files)


@ingest.command("reddit")
@click.option("--subreddit", "-s", "subreddits", multiple=True, help="Subreddit to search (repeatable).")
@click.option("--query", "-q", default=None, help="Search query; without it, the newest posts.")
@click.option("--time-filter", default="all", show_default=True,
              type=click.Choice(["all", "year", "month", "week", "day", "hour"]))
@click.option("--limit", default=100, show_default=True, help="Submissions per subreddit.")
@click.option("--more-limit", default=32, show_default=True,
              help="How many 'load more comments' stubs to expand per thread (0: none).")
@click.option("--submission", "submissions", multiple=True, help="A submission id or URL (repeatable).")
@click.option("--site", default=None, help="praw.ini site name holding the credentials.")
@pass_app
def ingest_reddit(app: App, subreddits, query, time_filter, limit, more_limit, submissions, site) -> None:
    """Live collection through praw (credentials from praw.ini or praw_* environment variables).

    A second run of the same query fetches only submissions newer than the last run."""
    from .ingest.live import collect_reddit
    if not subreddits and not submissions:
        raise click.UsageError("name at least one --subreddit or --submission")
    with app.lazy_progress(limit * len(subreddits), "searching Reddit") as tick:
        result = collect_reddit(app.engine, app.db, subreddits=subreddits, query=query,
                                time_filter=time_filter, limit=limit, more_limit=more_limit,
                                submissions=submissions, site=site, say=app.say, progress=tick)
    click.echo(f"{result.locator}: {result.new} new, {result.updated} updated, "
               f"{result.seen} seen in {result.threads} thread(s)")


@main.command()
@click.option("--site", default=None, help="praw.ini site name holding the credentials.")
@click.option("--wait", is_flag=True, help="If another run is writing to the database, wait for it "
              "instead of stopping.")
@click.option("--from-json", "files", multiple=True, type=click.Path(path_type=Path),
              help="A newer saved thread JSON instead of asking Reddit live (repeatable).")
@pass_app
def resync(app: App, site: str | None, wait: bool, files: tuple[Path, ...]) -> None:
    """Withdraw Reddit comments their authors deleted or moderators removed, at once and for good:
    their raw and redacted text is dropped and they can never be approved again."""
    with app.writing("resync", wait):
        if files:
            from .ingest import ingest_files
            for r in ingest_files(app.engine, app.db, "reddit-json", files):
                click.echo(f"{r.locator}: withdrew {r.withdrawn} comment(s) deleted at the source")
            return
        from .ingest.live import resync_reddit
        with app.step("asking Reddit which stored comments were deleted or removed"):
            withdrawn = resync_reddit(app.engine, site)
        click.echo(f"withdrew {withdrawn} comment(s) deleted at the source")


@main.command("purge-raw")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--wait", is_flag=True, help="If another run is writing to the database, wait for it "
              "instead of stopping.")
@pass_app
def purge_raw(app: App, yes: bool, wait: bool) -> None:
    """Drop raw names and texts of analysed comments for good (reports keep working)."""
    from .ingest.store import purge_raw as purge
    if not yes:
        click.confirm("Raw author names and comment texts will be deleted for good. Go on?", abort=True)
    with app.writing("purge-raw", wait), app.step("purging raw text and names"):
        purged = purge(app.engine)
    click.echo(f"purged raw text and names of {purged} comment(s)")


@main.command()
@pass_app
def sources(app: App) -> None:
    """List what was collected: each ingest run, when, and how much it added."""
    from .ingest.store import list_sources
    rows = list_sources(app.existing_engine)
    _table(("source", "kind", "fetched_at", "new", "seen", "locator"),
           [(s.id, s.kind, s.fetched_at, s.comments_new, s.comments_seen, s.locator) for s in rows])


# -------------------------------------------------------------------------------------- analyze

@main.command()
@click.option("--no-topics", is_flag=True, help="Skip the topic model (the slowest stage).")
@click.option("--wait", is_flag=True, help="If another run is writing to the database, wait for it "
              "instead of stopping.")
@pass_app
def analyze(app: App, no_topics: bool, wait: bool = False) -> None:
    """Screen, redact, tag symptoms, score sentiment and fit topics for everything new or changed.
    One run at a time per database: a second one says who is writing and stops (or --wait)."""
    with app.writing("analyze", wait):
        _analyze(app, no_topics)


def _analyze(app: App, no_topics: bool) -> None:
    from . import pipeline
    with app.step("finding what changed since the last run") as step, contextlib.ExitStack() as shown:
        bar: list = []

        def planned(total: int) -> None:  # the heartbeat gives way to a bar sized to this run
            shown.enter_context(step.paused())
            bar.append(shown.enter_context(app.progress(total, "analysing")))
            step.relabel("analysing: recording the run")
        result = pipeline.analyze(app.engine, progress=lambda n: bar[0].update(n), planned=planned)
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(result.by_status.items()))
    click.echo(f"analysed {result.comments} comments in {result.threads} thread(s) this run; "
               f"whole database: {statuses or 'no comments'}")
    if not no_topics:
        _topics(app)


EMBED_BATCH = 128  # texts embedded between two progress updates


def _topics(app: App) -> None:
    from . import topics
    with app.step("topics: reading embeddings, then fitting BERTopic and checking its stability") as step, \
            contextlib.ExitStack() as shown:
        bar: list = []

        def embedder():
            step.relabel("topics: loading the embedding model")
            model = topics.load_embedder()
            step.relabel("topics: embedding new comments")
            embedded = [0]

            def embed(texts):  # in small batches, so progress moves within topics' large chunks
                import numpy as np
                parts = []
                for start in range(0, len(texts), EMBED_BATCH):
                    parts.append(model(texts[start:start + EMBED_BATCH]))
                    embedded[0] += len(parts[-1])
                    if bar:
                        bar[0].update(len(parts[-1]))
                    else:  # the first chunk: topics gives no total before it is done
                        step.note = f"{embedded[0]:,} embedded"
                return np.vstack(parts) if parts else model(texts)
            return embed

        def embedding(done: int, total: int) -> None:
            if not bar:
                shown.enter_context(step.paused())
                bar.append(shown.enter_context(app.progress(total, "topics: embedding new comments")))
            bar[0].update(done - bar[0].pos)
            if done >= total:  # a full bar says nothing about the fit that follows: the heartbeat does
                shown.close()
                step.relabel("topics: fitting BERTopic and checking its stability")
        run = topics.update_topics(app.engine, embedder=embedder, progress=embedding)
    click.echo(f"topics: {run.topics} over {run.documents} counted comments ({run.strategy}; "
               f"{run.embedded} newly embedded)")


# --------------------------------------------------------------------------------------- report

@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "csv"]), default=None,
              help="Default: from the -o file's extension (.json, .csv), else md.")
@click.option("--min-cell", default=config.DEFAULT_MIN_CELL, show_default=True, type=click.IntRange(1),
              help="Hide reporter counts below this (small-cell suppression).")
@click.option("--explain", "category", default=None, metavar="CATEGORY",
              help="Instead of the report: every mention of CATEGORY, redacted, and why it counts or not.")
@pass_app
def report(app: App, output: Path | None, fmt: str | None, min_cell: int, category: str | None) -> None:
    """The aggregate report of reported adverse experiences. Markdown written to a file (-o) gets
    its PNG charts beside it."""
    from . import report as reporting
    fmt = fmt or reporting.format_for(output)
    if category:
        from .report.explain import COLUMNS, explain
        rows = explain(app.existing_engine, category)  # may fail: print nothing before it has
        _table(COLUMNS, rows)
        return
    engine = app.existing_engine
    with app.step("building the report"):
        if output is None:
            text = reporting.render(engine, fmt, min_cell)
        else:
            written = reporting.write(engine, output, fmt, min_cell)
    if output is None:
        click.echo(text, nl=False)
        return
    for path in written:
        app.say(f"wrote {path}")


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"),
              show_default=True, help="Folder for the demo report.")
@click.option("--samples", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=Path("samples"), show_default=True, help="Folder of sample inputs.")
@click.option("--no-topics", is_flag=True, help="Skip the topic model.")
@click.option("--wait", is_flag=True, help="If another run is writing to the database, wait for it "
              "instead of stopping.")
@click.pass_context
def demo(ctx: click.Context, out: Path, samples: Path, no_topics: bool, wait: bool) -> None:
    """The whole pipeline on samples/ into a fresh database, report under reports/."""
    app: App = ctx.obj
    if not app.db_given:
        app.db = out / "demo.db"  # never mix the demo into the user's own database
    with app.writing("demo", wait):
        _demo(ctx, app, out, samples, no_topics)


def _demo(ctx: click.Context, app: App, out: Path, samples: Path, no_topics: bool) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{app.db}{suffix}").unlink(missing_ok=True)
    for fmt, pattern in DEMO_INPUTS:
        files = sorted(samples.glob(pattern))
        if files:
            ctx.invoke({"thread": ingest_thread, "jsonl": ingest_jsonl,
                        "reddit-json": ingest_reddit_json}[fmt], files=tuple(files))
    ctx.invoke(analyze, no_topics=no_topics)
    for fmt, name in (("md", "report.md"), ("json", "report.json"), ("csv", "symptoms.csv")):
        ctx.invoke(report, output=out / name, fmt=fmt, min_cell=config.DEFAULT_MIN_CELL)
    click.echo(f"demo report: {out / 'report.md'}")


from .cli_moderate import moderate  # noqa: E402  (the moderate group lives beside this file)

main.add_command(moderate)
accept_global_options(main)
