"""`rhizo moderate ...`: the review queue, decisions and the audit trail (thin layer over moderation)."""
from __future__ import annotations

import getpass
import os
import textwrap

import click

from . import moderation
from .cli_output import cell, table


def _reason(value: str) -> str:
    if not value.strip():
        raise click.BadParameter("give a reason: it is kept in the audit trail", param_hint="--reason")
    return value.strip()


def moderator_name(value: str | None) -> str:
    return value or os.environ.get("RHIZO_MODERATOR") or getpass.getuser()


def _print_item(it: moderation.QueueItem, status: str | None = None) -> None:
    head = f"#{it.comment_id}  role {it.role or '?'}" + (f"  status {status}" if status else "")
    click.echo(click.style(head, bold=True))
    for f in it.flags:
        click.echo(f"  flag {f.rule}: {f.reason}" + (f"  [{f.evidence}]" if f.evidence else ""))
    text = ("(deleted at its source: text removed)" if it.deleted
            else it.text if it.text is not None else "(not analysed yet: run `rhizo analyze`)")
    click.echo(textwrap.indent(textwrap.fill(text, 96, replace_whitespace=False), "    "))


@click.group()
@click.option("--as", "who", default=None, help="Moderator name for the audit trail "
              "(default: $RHIZO_MODERATOR, else your login name).")
@click.pass_context
def moderate(ctx: click.Context, who: str | None) -> None:
    """Review held comments, decide, and read the audit trail. Texts shown are redacted."""
    ctx.meta["moderator"] = moderator_name(who)


@moderate.command()
@click.pass_obj
def queue(app) -> None:
    """Comments waiting for a decision, crisis-flagged ones first."""
    items = moderation.queue(app.existing_engine)
    if not items:
        click.echo("the queue is empty")
        return
    table(("comment", "role", "flags", "text"),
          [(it.comment_id, it.role or "?", ", ".join(sorted({f.rule for f in it.flags})) or "no flag",
            cell(it.text)[:70]) for it in items])


@moderate.command()
@click.argument("comment_id", type=int)
@click.pass_obj
def show(app, comment_id: int) -> None:
    """One comment: redacted text, flags, status and its decisions."""
    it, status, events = moderation.show(app.existing_engine, comment_id)
    _print_item(it, status)
    for e in events:
        click.echo(f"  {e.at}  {e.actor}: {e.status} ({e.reason}; policy {e.policy_version})")


@moderate.command()
@click.argument("ids", nargs=-1, type=int, required=True)
@click.option("--reason", default="approved by a moderator", show_default=True,
              callback=lambda _c, _p, v: _reason(v))
@click.pass_context
def approve(ctx: click.Context, ids: tuple[int, ...], reason: str) -> None:
    """Approve comments: they count at the next report."""
    n = moderation.decide(ctx.obj.existing_engine, list(ids), "approved", actor=ctx.meta["moderator"], reason=reason)
    click.echo(f"approved {n} comment(s)")


@moderate.command()
@click.argument("ids", nargs=-1, type=int, required=True)
@click.option("--reason", required=True, callback=lambda _c, _p, v: _reason(v),
              help="Why (kept in the audit trail; the report says only that a moderator decided).")
@click.pass_context
def reject(ctx: click.Context, ids: tuple[int, ...], reason: str) -> None:
    """Reject comments: they leave every count, topic and quote."""
    n = moderation.decide(ctx.obj.existing_engine, list(ids), "rejected", actor=ctx.meta["moderator"], reason=reason)
    click.echo(f"rejected {n} comment(s)")


@moderate.command()
@click.argument("ids", nargs=-1, type=int, required=True)
@click.pass_context
def undo(ctx: click.Context, ids: tuple[int, ...]) -> None:
    """Undo human decisions: the automatic decision applies again (a new event; history stays)."""
    done = moderation.undo(ctx.obj.existing_engine, list(ids), actor=ctx.meta["moderator"])
    click.echo(f"handed {len(done.undone)} comment(s) back to the automatic decision")
    for cid, status in done.not_human.items():
        click.echo(f"#{cid}: nothing to undo: its status ({status}) is the automatic decision, not a "
                   "moderator's", err=True)


@moderate.command()
@click.pass_context
def review(ctx: click.Context) -> None:
    """Step through the queue: [a]pprove, [r]eject (asks a reason), [s]kip, [q]uit."""
    engine, who = ctx.obj.existing_engine, ctx.meta["moderator"]
    items = moderation.queue(engine)
    if not items:
        click.echo("the queue is empty")
        return
    done = 0
    for n, it in enumerate(items, 1):
        click.echo(f"\n[{n}/{len(items)}]")
        _print_item(it)
        key = click.prompt("[a]pprove, [r]eject, [s]kip, [q]uit", type=click.Choice(list("arsq")),
                           show_choices=False)
        if key == "q":
            break
        if key == "a":
            done += moderation.decide(engine, [it.comment_id], "approved", actor=who, reason="approved in review")
        elif key == "r":
            reason = click.prompt("reason", value_proc=_reason)
            done += moderation.decide(engine, [it.comment_id], "rejected", actor=who, reason=reason)
    click.echo(f"{done} decision(s) recorded")


@moderate.command("log")
@click.option("--limit", default=50, show_default=True, help="How many of the latest events.")
@click.option("--comment", "comment_id", type=int, default=None, help="Only this comment's events.")
@click.pass_obj
def log_(app, limit: int, comment_id: int | None) -> None:
    """The audit trail: every decision, automatic or human, oldest first."""
    table(("event", "at", "comment", "status", "actor", "policy", "reason"),
          [(e.id, e.at, f"#{e.comment_id}", e.status, e.actor, e.policy_version, e.reason)
           for e in moderation.log(app.existing_engine, limit, comment_id)])
