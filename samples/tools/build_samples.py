"""Regenerate the sample PDFs in samples/ from samples/src/ (text + layout spec per report).

Usage: python samples/tools/build_samples.py [--only NAME] [--out DIR]

Every `samples/src/NAME.txt` with a `samples/src/NAME.layout.json` beside it becomes
`samples/NAME.pdf`. The output is byte-reproducible, so a rebuild that changes the committed
PDF means the text, the spec or the renderer changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lkjdoc  # noqa: E402  (sibling module; samples/tools is not a package)

SAMPLES = Path(__file__).resolve().parents[1]
SRC = SAMPLES / "src"


def reports() -> list[str]:
    """Names of the reports that have both a text file and a layout spec."""
    return sorted(p.name.removesuffix(".layout.json") for p in SRC.glob("*.layout.json")
                  if (SRC / p.name.replace(".layout.json", ".txt")).exists())


def build(name: str, out_dir: Path = SAMPLES) -> Path:
    """Build one report; returns the PDF path."""
    out = out_dir / f"{name}.pdf"
    lkjdoc.build(SRC / f"{name}.txt", SRC / f"{name}.layout.json", out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", metavar="NAME", help="build just this report (file stem)")
    parser.add_argument("--out", metavar="DIR", type=Path, default=SAMPLES,
                        help="output directory (default: samples/)")
    args = parser.parse_args(argv)
    names = reports()
    if args.only:
        if args.only not in names:
            parser.error(f"unknown report {args.only!r}; known: {', '.join(names)}")
        names = [args.only]
    for name in names:
        print(build(name, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
