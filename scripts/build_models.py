"""Build the derived embedding models from the packaged all-MiniLM-L6-v2, offline, deterministically.

    python scripts/build_models.py [--backend minilm-onnx-int8 ...] [--out DIR] [--check]

The same builds run by themselves at first use (rhizo_voices.embed.built); this script does them ahead
of time (for an install step, or a read-only environment: point RHIZO_MODEL_CACHE at --out). --check
builds every model twice into fresh folders and fails unless the two builds are byte-identical.
Prints one line per model: backend, bytes, sha256, seconds.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from rhizo_voices import embed  # noqa: E402

DERIVED = [b for b in embed.BACKENDS if b != "minilm-torch"]


def build(backends: list[str], out: Path) -> dict[str, dict]:
    """Build each backend under ``out``; their build.json facts, with the seconds each took."""
    facts = {}
    for backend in backends:
        started = time.perf_counter()
        target = embed.built(backend, out)
        facts[backend] = json.loads((target / "build.json").read_text(encoding="utf-8"))
        facts[backend]["seconds"] = round(time.perf_counter() - started, 1)
        print(f"{backend}\t{facts[backend]['bytes']:,} bytes\t{facts[backend]['sha256']}\t"
              f"{facts[backend]['seconds']} s", flush=True)
    return facts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", action="append", choices=DERIVED, help="default: the ONNX pair")
    ap.add_argument("--out", type=Path, default=None, help="default: rhizo_voices.embed.cache_dir()")
    ap.add_argument("--check", action="store_true", help="build twice in fresh folders, compare bytes")
    args = ap.parse_args(argv)
    backends = args.backend or ["minilm-onnx", "minilm-onnx-int8"]
    if not args.check:
        build(backends, args.out or embed.cache_dir())
        return 0
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        first, second = build(backends, Path(a)), build(backends, Path(b))
    differ = [k for k in backends if first[k]["sha256"] != second[k]["sha256"]]
    print("deterministic: " + ("yes" if not differ else "NO: " + ", ".join(differ)))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
