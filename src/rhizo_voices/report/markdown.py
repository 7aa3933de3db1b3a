"""The report as markdown, written from the numbers in `report.data.build`."""
from __future__ import annotations

import statistics
from typing import Any


def md(text: str) -> str:
    """Text from comments made safe inside a markdown table cell: no HTML, no table breaks."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\|*_`[]#":
        text = text.replace(ch, "\\" + ch)
    return text


def _days(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 14:
        return f"{value:g} days"
    if value < 90:
        return f"{value / 7:.0f} weeks"
    return f"{value / 30.4:.0f} months"


def _n(value: int | None, min_cell: int) -> str:
    return f"<{min_cell}" if value is None else str(value)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}"


def _headline(d: dict[str, Any]) -> list[str]:
    corpus, k = d["corpus"], d["min_cell"]
    lines = []
    if corpus["comments"] == 0:
        return ["- The database holds no comments yet: nothing to report."]
    if corpus["patient_reporters"] == 0:
        n = corpus["comments"]
        return [f"- {n} comment{'s were' if n != 1 else ' was'} collected, but none is an approved "
                "patient comment yet: no symptom can be counted."]
    shown = [r for r in d["symptoms"] if r["reporters"]]
    lines.append(f"- {corpus['patient_reporters']} distinct patients (or carers) wrote "
                 f"{corpus['patient_comments']} approved comments that count.")
    if shown:
        top = ", ".join(f"{r['label'].lower()} ({r['reporters']})" for r in shown[:3])
        lines.append(f"- Most reported after the procedure, by distinct reporters: {top}.")
    hidden = d["suppressed_categories"]
    if hidden:
        lines.append(f"- {len(hidden)} categories were reported by fewer than {k} people; their counts "
                     "are hidden to protect those writers.")
    return lines


def _timeline(d: dict[str, Any]) -> list[str]:
    if not d["timeline"]:
        return []
    out = ["## Timeline", "", "When the comments say so: time from the procedure to the symptom's onset, "
           "and for recurrence how long relief lasted before the pain returned.", "",
           "| symptom | comments dating onset | median onset | comments dating relief | median relief |",
           "|---|---:|---:|---:|---:|"]
    for t in d["timeline"]:
        on, rel = t["onset_days"], t["relief_days"]
        out.append(f"| {t['label']} | {len(on)} | {_days(_median(on))} | {len(rel)} | {_days(_median(rel))} |")
    out += ["", "A median needs at least two comments: with one, it would date one person's procedure."]
    return out + [""]


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if len(values) >= 2 else None


def _suppression_note(k: int) -> str:
    if k <= 1:
        return "Every count is shown (`--min-cell 1`: no small-cell suppression)."
    few = "1 reporter" if k == 2 else f"1 to {k - 1} reporters"
    return (f"Counts of {few} are shown as `<{k}`, with their comments, share and sentiment hidden "
            "too, so no one can be picked out.")


def _provenance(d: dict[str, Any]) -> list[str]:
    m = d["method"]
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    span = "–" if not m["date_range"] else "–".join(dict.fromkeys(m["date_range"]))
    sources = ", ".join(f"{n} {kind}" for kind, n in m["sources"].items()) or "none"
    return [f"- Software: {m['software']}; {versions}.",
            f"- Codebook {m['codebook_version']}; moderation policy {m.get('policy_version') or '–'}; "
            f"topic seed {d['topics']['seed'] if d['topics']['seed'] is not None else '–'}.",
            f"- Database fingerprint {m['fingerprint']} (a hash of every analysed input and its decision).",
            f"- Comments written {span}; inputs ingested: {sources}."]


CHART_TITLES = {"symptom_reporters": "Distinct reporters per symptom", "onset": "Time to onset",
                "sentiment": "Sentiment by symptom", "topics": "Topic sizes"}


def _chart(charts: dict[str, str], name: str) -> list[str]:
    return [f"![{CHART_TITLES[name]}]({charts[name]})", ""] if name in charts else []


def render(d: dict[str, Any], charts: dict[str, str] | None = None) -> str:
    """The markdown report; ``charts`` maps chart names to the image paths to link."""
    charts = charts or {}
    k = d["min_cell"]
    corpus, mod = d["corpus"], d["moderation"]
    out = ["# Reported adverse experiences after spinal rhizotomy / RFA", "",
           f"Generated {d['generated_at']} by {d['method']['software']}. Counts are of distinct "
           "reporters in approved patient comments; they describe what people wrote, not how often "
           "anything happens.", "", "## Headline findings", "", *_headline(d), "",
           "## Corpus and moderation", "",
           "| | count |", "|---|---:|",
           f"| threads | {corpus['threads']} |",
           f"| comments ingested | {corpus['comments']} |",
           f"| analysed | {corpus['analysed']} |",
           *([f"| not analysed yet (run `rhizo analyze`) | {corpus['not_analysed']} |"]
             if corpus["not_analysed"] else []),
           f"| approved | {mod['approved']} |",
           f"| held for a moderator | {mod['pending']} |",
           f"| rejected | {mod['rejected']} |",
           f"| withdrawn | {mod['withdrawn']} |",
           f"| approved, excluded as clinic/staff/author replies | {mod['providers_excluded']} |",
           f"| approved, excluded as not a patient experience | {mod['others_excluded']} |",
           f"| **counted: approved patient comments** | **{corpus['patient_comments']}** |",
           f"| **distinct patient reporters** | **{corpus['patient_reporters']}** |", ""]
    if mod["held_by_flag"]:
        held = ", ".join(f"{flag} {n}" for flag, n in mod["held_by_flag"].items())
        out += [f"Held by flag (a comment can carry several): {held}.", ""]
    if mod["crisis_held"]:
        out += [f"{mod['crisis_held']} comment(s) held for expressions of hopelessness or self-harm; "
                "they are not quoted here and wait for a human moderator.", ""]
    for title, key in (("Rejected", "rejected_by_reason"), ("Withdrawn", "withdrawn_by_reason")):
        if mod[key]:
            out += [f"{title}: " + "; ".join(f"{r or 'no reason given'} ({n})" for r, n in mod[key].items()) + ".", ""]
    out += ["## Symptoms reported", "",
            "| symptom | reporters | share of patient reporters | comments | median time to onset "
            "| mean sentence sentiment |",
            "|---|---:|---:|---:|---:|---:|"]
    for r in d["symptoms"]:
        onset = _days(r["median_onset_days"])
        out.append(f"| {r['label']} | {_n(r['reporters'], k)} | {_pct(r['share'])} | "
                   f"{_n(r['comments'], k)} | {onset} | {_num(r['mean_sentiment'])} |")
    ex = d["excluded_mentions"]
    out += ["", f"{_suppression_note(k)} Not counted: {ex['negated']} negated mentions (\"no numbness\"), "
            f"{ex['hypothetical']} feared or hypothetical ones, {ex['before_procedure']} about symptoms "
            "before the procedure, and every mention in comments that are not approved patient comments.",
            "", *_chart(charts, "symptom_reporters"), *_timeline(d), *_chart(charts, "onset"),
            "## Sentiment", ""]
    sent = d["sentiment"]
    if sent["comments"]:
        out.append(f"VADER compound score of whole comments, over {sent['comments']} counted comments: mean "
                   f"{_num(sent['mean'])}, median {_num(sent['median'])} (−1 most negative, +1 most positive).")
        out += ["", "Two scales: this score is of whole comments; the symptom table and its chart score "
                "only the sentences that mention each symptom. A comment can be negative about a symptom "
                "and hopeful overall, so the two need not agree."]
    else:
        out.append("No counted comments to score.")
    out += ["", *_chart(charts, "sentiment")]
    out += ["## Topics", ""]
    topics = d["topics"]
    labels = {r["category"]: r["label"] for r in d["symptoms"]}
    if topics["strategy"] in ("none", "not run"):
        out.append(f"No topic model: {topics['documents']} counted comments, too few to cluster."
                   if topics["strategy"] == "none" else "Topics were not computed (`analyze --no-topics`).")
    else:
        out += _topic_lines(topics, labels, k)
        out += ["", *_chart(charts, "topics")]
    out += ["## Method", "",
            "Comments were ingested from saved threads, screened by rules (clinic and author replies, "
            "no personal experience, other procedures, duplicates, deletion requests, crisis language, "
            "heavy identifiers) under a versioned policy, stripped of identifiers, tagged by symptom "
            "with a versioned codebook and context rules (negation, hypothetical, before the procedure, "
            "who experienced it), scored with VADER and clustered with BERTopic.",
            "", "## Provenance", "", *_provenance(d), "",
            "## Limitations", "",
            "- Writers chose to post: these are self-selected reports, not a sample of patients. "
            "Nothing here is an incidence rate or evidence that the procedure caused a symptom.",
            "- Symptom tagging and screening are rules checked by small learned models; on real public "
            "text they still miss or mis-read some phrasing (the README's Measured quality gives the "
            "figures). Every count can be traced in the database (`v_symptom_mentions`).",
            "- VADER does not know clinical words (\"numb\" scores neutral) and reads some negations "
            "oddly; sentiment is a rough tone, not a measure of harm.",
            "- Excluded: comments held, rejected or withdrawn; clinic, staff and post-author replies; "
            "comments without a personal experience of the procedure; negated, feared and "
            "pre-procedure mentions.", ""]
    return "\n".join(out)


def _topic_lines(topics: dict, labels: dict[str, str], k: int) -> list[str]:
    """The topic section's text and table: labels made of the topics' own phrases, symptoms beside
    them, stability said in words (a warning when weak)."""
    n, fitted = topics["documents"], topics.get("fitted_on") or topics["documents"]
    regular = [t for t in topics["topics"] if t["id"] != -1]
    how = (f"fitted on a seeded sample of {fitted:,}, the other comments assigned to the nearest topic"
           if fitted < n else "every comment assigned to a topic")
    lines = [f"{n:,} counted comments fall into {len(regular)} topics (BERTopic, {topics['strategy']}, "
             f"seed {topics['seed']}; {how}). Embeddings: {topics.get('embeddings') or topics['model']}. "
             "A topic is named by the phrases its own comments use more than the others do (c-TF-IDF "
             "over 1-3 word phrases, re-ranked for variety); its symptoms are the categories affirmed "
             "in a third or more of its comments.", ""]
    if topics["outliers"] or topics["outliers_before_reduction"]:
        lines += [f"Outliers: {topics['outliers_before_reduction']} before reduction, {topics['outliers']} "
                  f"after ({topics['outliers'] / n:.0%}).", ""]
    lines += [stability_words(topics["stability"]), "",
              "| topic: phrases from its comments | comments | symptoms | sentiment | a comment from it |",
              "|---|---:|---|---:|---|"]
    for t in topics["topics"]:
        symptoms = ", ".join(labels.get(c, c) for c in t["symptoms"]) or "–"
        quote = (f"“{md(t['excerpt'])}”" if t["excerpt"] else "(outliers: not quoted)" if t["id"] == -1
                 else f"(fewer than {k} reporters: not quoted)")
        lines.append(f"| {md(t['label'])} | {_n(t['size'], k)} | {md(symptoms)} | {_num(t['sentiment'])} | {quote} |")
    return lines


def stability_words(value: float | None) -> str:
    """The stability figure said in words for a reader, with a warning when it is weak."""
    if value is None:
        return "Stability: not measured."
    if value >= 0.8:
        return (f"Stability {value:.2f} (strong): a refit with another seed puts nearly every comment in "
                "the same topic.")
    if value >= 0.5:
        return (f"Stability {value:.2f} (moderate): a refit with another seed keeps the main topics, but "
                "comments near a boundary move; read the topics as broad themes.")
    return (f"**Weak stability ({value:.2f})**: a refit with another seed groups the comments quite "
            "differently. Treat these topics as one possible reading of the comments, not as findings; "
            "the symptom counts above do not depend on them.")
