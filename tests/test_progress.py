"""Progress: every step longer than two seconds shows itself on stderr; --quiet silences it all."""
from __future__ import annotations

import re
import time

import pytest

from conftest import SEED_THREAD
from rhizo_voices import cli_app, topics
from rhizo_voices.cli import main


@pytest.fixture
def quick_heartbeat(monkeypatch):
    monkeypatch.setattr(cli_app, "HEARTBEAT_AFTER", 0.2)
    monkeypatch.setattr(cli_app, "HEARTBEAT_EVERY", 0.05)


@pytest.fixture
def slow_topics(monkeypatch):
    """A topic stage that reads, loads a model, embeds 300 texts in one chunk, then fits a while."""
    import numpy as np

    def model(texts):
        time.sleep(0.15)
        return np.zeros((len(texts), 4), dtype=np.float32)

    def load_embedder():
        time.sleep(0.5)
        return model

    def update_topics(engine, *, embedder, progress):
        time.sleep(0.5)  # reading
        embed = embedder()
        assert embed(["text"] * 300).shape == (300, 4)  # one chunk: topics says nothing until it ends
        progress(300, 300)
        time.sleep(0.6)  # fitting
        return topics.TopicRun(3, "kmeans", 2, 0, 300)
    monkeypatch.setattr(topics, "update_topics", update_topics)
    monkeypatch.setattr(topics, "load_embedder", load_embedder)


def test_every_silent_topic_step_shows_itself(runner, db_file, quick_heartbeat, slow_topics):
    runner.invoke(main, ["--db", str(db_file), "-q", "ingest", "thread", str(SEED_THREAD)])
    result = runner.invoke(main, ["--db", str(db_file), "analyze"])
    assert result.exit_code == 0, result.output
    err = result.stderr
    for label in ("topics: reading embeddings, then fitting BERTopic and checking its stability",
                  "topics: loading the embedding model",
                  "topics: fitting BERTopic and checking its stability"):
        assert re.search(rf"^{re.escape(label)} \.\.\. \d+ s$", err, re.M), (label, err)
        assert re.search(rf"^{re.escape(label)} \.\.\. done in \d+ s$", err, re.M), (label, err)
    # within the chunk, before topics gives a total, the heartbeat counts what was embedded
    assert re.search(r"^topics: embedding new comments \.\.\. \d+ s, (128|256) embedded$", err, re.M), err
    assert err.index("loading the embedding model ... done") < err.index("topics: embedding new comments ... ") \
        < err.index("topics: fitting BERTopic and checking its stability ... done")
    assert result.stdout.endswith("topics: 2 over 3 counted comments (kmeans; 300 newly embedded)\n")


def test_quiet_silences_every_step(runner, db_file, quick_heartbeat, slow_topics):
    runner.invoke(main, ["--db", str(db_file), "-q", "ingest", "thread", str(SEED_THREAD)])
    result = runner.invoke(main, ["--db", str(db_file), "analyze", "--quiet"])
    assert result.exit_code == 0 and result.stderr == ""


def test_a_short_step_says_nothing(capsys):
    with cli_app.Heartbeat("quick"):
        time.sleep(0.05)
    assert capsys.readouterr().err == ""


def test_a_long_step_on_a_pipe_prints_lines_not_carriage_returns(monkeypatch, capsys):
    monkeypatch.setattr(cli_app, "HEARTBEAT_AFTER", 0.1)
    monkeypatch.setattr(cli_app, "HEARTBEAT_EVERY", 0.05)
    monkeypatch.setattr(cli_app, "HEARTBEAT_LINE_EVERY", 0.2)
    with cli_app.Heartbeat("writing the report"):
        time.sleep(0.5)
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert "\r" not in err and len(lines) >= 2
    assert all(re.fullmatch(r"writing the report \.\.\. \d+ s", x) for x in lines[:-1])
    assert re.fullmatch(r"writing the report \.\.\. done in \d+ s", lines[-1])


def test_analyze_bar_is_sized_to_this_run(runner, db_file, tmp_path):
    """An incremental run's bar counts the comments it analyses, not the whole database (it used to
    stop at a few per cent and look frozen)."""
    runner.invoke(main, ["--db", str(db_file), "-q", "ingest", "thread", str(SEED_THREAD)])
    runner.invoke(main, ["--db", str(db_file), "-q", "analyze", "--no-topics"])
    more = tmp_path / "m.jsonl"
    more.write_text('{"id": "1", "thread": "t", "author": "a", "created": "2024-01-01", "parent": null, '
                    '"body": "After my RFA my leg burned."}\n')
    runner.invoke(main, ["--db", str(db_file), "-q", "ingest", "jsonl", str(more)])
    seen = []
    from rhizo_voices import cli_app as app_module
    real = app_module.App.progress

    def spy(self, length, label):
        seen.append((length, label))
        return real(self, length, label)
    import unittest.mock
    with unittest.mock.patch.object(app_module.App, "progress", spy):
        result = runner.invoke(main, ["--db", str(db_file), "analyze", "--no-topics"])
    assert result.exit_code == 0
    assert seen == [(1, "analysing")]
