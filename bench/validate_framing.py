"""Validate corpus_tools.framing against human labels (development splits; prints, asserts nothing).

    python bench/validate_framing.py ../shared/eval

Frames: narrative_frames_articles_dev.tsv (Frermann, Li, Khanehzar &
Mikolajczak 2023, ACL; binary RE/HI/CO/MO/EC per article). Roles:
narrative_frames_roles_dev.tsv (same paper; hero/villain/victim per entity).
Our categories map to the narrative frames through
corpus_tools/lexicons/framing_frame_mapping.csv. The data stays where it is.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from corpus_tools.framing import load_frame_mapping, validate_frames, validate_roles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path, help="folder with the narrative_frames_*_dev.tsv files")
    parser.add_argument("--min-sentences", type=int, default=2, help="sentences a frame needs to count as present")
    args = parser.parse_args()
    articles = pd.read_csv(args.eval_dir / "narrative_frames_articles_dev.tsv", sep="\t")
    roles = pd.read_csv(args.eval_dir / "narrative_frames_roles_dev.tsv", sep="\t")
    pd.set_option("display.width", 200)
    print("Mapping of our categories to the narrative frames:")
    print(load_frame_mapping().table[["layer", "category", "narrative_frame"]].to_string(index=False))
    started = time.perf_counter()
    frames = validate_frames(articles, min_sentences=args.min_sentences)
    print(f"\nFrames: {len(articles)} articles, {time.perf_counter() - started:.1f} s "
          f"(frame present = cues in >= {args.min_sentences} sentences; baseline = every frame present in "
          "every article)")
    print(frames.scores.round(3).to_string(index=False))
    for backoff in (False, True):
        started = time.perf_counter()
        result = validate_roles(roles, articles, backoff=backoff)
        print(f"\nRoles ({'window links + sentence backoff' if backoff else 'window links only'}): "
              f"{len(roles)} entity labels, {time.perf_counter() - started:.1f} s (baseline = majority role "
              "of the entities labelled)")
        print(result.scores.round(3).to_string(index=False))


if __name__ == "__main__":
    main()
