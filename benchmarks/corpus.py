"""Build a corpus of N distinct synthetic LKj PDFs from the sample sources, reproducibly.

    .venv/bin/python benchmarks/corpus.py OUT_DIR -n 500 [--seed 0] [--jobs N]

Variant k (k = 1..N) takes the sources of one of the NTB office's samples
(samples/src/lkj-bp3mi-ntb-*.txt + .layout.json, round robin; the `synth-*` reports of other
offices are not used) and makes a different, invented agency of it:

- names: "Nusa Tenggara Barat" -> "Provinsi Sampel k", "NTB" -> "PSk", "Mataram" -> "Kota
  Sampel k" (also in the layout spec, whose cover styles and line rules quote those lines).
  No alias in lkj/schemas/registry.py matches, so every variant is an unknown agency (flagged)
  and gets its own report_id (sha-...), as a new office in an archive would;
- figures: every count of persons ("N Orang": targets, realisasi, quarters, event participants,
  TOTAL rows, running text) is multiplied by an integer factor p, and every amount of money
  ("Rp. N") by an integer factor m, p and m in 1..3 drawn from the seed. Integer factors keep
  the tables internally consistent: sums still add up, capaian = realisasi / target and
  budget % = realisasi / pagu are unchanged because both sides scale alike. Inconsistencies
  the source has (the planted ones, the published 2023 mistakes) stay, scaled. A figure the
  running text states without "orang" or "Rp" is not scaled and may then disagree with the
  tables (a narrative finding);
- marking: a `%%` note at the top of the text, the cover note line (the layout's `cover_note`
  line replaced, or one added before the first page after the cover) and the PDF subject say
  "synthetic benchmark variant", never a published report.

The output is byte-reproducible (lkjdoc renders with reportlab's invariant mode): the same
N and seed give the same files. A manifest (corpus.json) lets a caller reuse a built corpus.
The PDFs are not committed; benchmarks/bench_run.py builds them on demand.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "samples" / "src"
sys.path.insert(0, str(ROOT / "samples" / "tools"))

import lkjdoc  # noqa: E402  (samples/tools is not a package)

MANIFEST = "corpus.json"
#: Bump when the variant recipe changes, so that an old corpus is rebuilt, not reused.
RECIPE = 1
NOTE = "SAMPEL SINTETIS - varian korpus uji kecepatan, bukan laporan resmi " \
       "(synthetic benchmark variant, not a published report)"

_RP = re.compile(r"(Rp\.?\s?)(\d{1,3}(?:\.\d{3})+|\d+)")
_ORANG = re.compile(r"\b(\d{1,3}(?:\.\d{3})+|\d+)(\s+)(orang)\b", re.IGNORECASE)


def sources() -> list[str]:
    """Stems of the NTB office's samples with a text and a layout spec, in a fixed order.

    The synthetic reports of other offices (`synth-*`) are left out: the renaming below
    makes invented agencies of the NTB office's names only, and variant k keeps its source
    as the corpus grows (tests take variants 903 and 907 as 2023 reports)."""
    return sorted(p.name.removesuffix(".layout.json") for p in SRC.glob("*.layout.json")
                  if (SRC / p.name.replace(".layout.json", ".txt")).exists()
                  and not p.name.startswith("synth-"))


def rename(text: str, k: int) -> str:
    """The NTB office's names replaced by those of invented province k (text or JSON)."""
    pairs = [
        ("PROVINSI NUSA TENGGARA BARAT", f"PROVINSI SAMPEL {k}"),
        ("Provinsi Nusa Tenggara Barat", f"Provinsi Sampel {k}"),
        ("NUSA TENGGARA BARAT", f"PROVINSI SAMPEL {k}"),
        ("Nusa Tenggara Barat", f"Provinsi Sampel {k}"),
        ("Kota Mataram", f"Kota Sampel {k}"),
        ("MATARAM", f"KOTA SAMPEL {k}"),
        ("Mataram", f"Kota Sampel {k}"),
        ("bp2mintb", f"bp2mips{k}"),
    ]
    for old, new in pairs:
        text = text.replace(old, new)
    return re.sub(r"\bNTB\b", f"PS{k}", text)


def _dotted(n: int) -> str:
    """An integer as Indonesian reports print it: 12000 -> 12.000."""
    return f"{n:,}".replace(",", ".")


def scale_figures(text: str, persons: int, money: int) -> str:
    """Counts of persons times `persons`, money amounts times `money` (integers: sums hold)."""
    def orang(m: re.Match[str]) -> str:
        return _dotted(int(m.group(1).replace(".", "")) * persons) + m.group(2) + m.group(3)

    def rupiah(m: re.Match[str]) -> str:
        return m.group(1) + _dotted(int(m.group(2).replace(".", "")) * money)

    return _RP.sub(rupiah, _ORANG.sub(orang, text))


def factors(k: int, seed: int) -> tuple[int, int]:
    """(persons, money) factors of variant k, from the seed alone."""
    rng = random.Random(f"{seed}:{k}")
    return rng.randint(1, 3), rng.randint(1, 3)


def variant(k: int, seed: int = 0) -> tuple[str, str, dict[str, Any]]:
    """(file stem, text, layout spec) of variant k."""
    names = sources()
    stem = names[(k - 1) % len(names)]
    year = stem.rsplit("-", 1)[-1]
    persons, money = factors(k, seed)
    text = rename((SRC / f"{stem}.txt").read_text(encoding="utf-8"), k)
    text = scale_figures(text, persons, money)
    spec = json.loads(rename((SRC / f"{stem}.layout.json").read_text(encoding="utf-8"), k))
    cover = spec.setdefault("cover", {})
    styles = cover.setdefault("styles", {})
    notes = [line for line, style in styles.items() if style == "cover_note"]
    if notes:  # the synthetic samples have one: say what this file is instead
        for line in notes:
            del styles[line]
            text = text.replace(f"\n{line}\n", f"\n{NOTE}\n")
    else:  # the 2023 layout has none: add the line just before the first page after the cover
        until = cover.get("until", "KATA PENGANTAR")
        text = text.replace(f"\n{until}\n", f"\n{NOTE}\n\n{until}\n", 1)
    styles[NOTE] = "cover_note"
    spec["subject"] = (f"SYNTHETIC benchmark variant {k} (seed {seed}) of {stem}: invented "
                       f"agency, figures scaled (persons x{persons}, money x{money}); "
                       f"not a published report")
    spec["author"] = "benchmarks/corpus.py (synthetic)"
    header = (f"%% SYNTHETIC BENCHMARK VARIANT {k} (seed {seed}) of samples/src/{stem}.txt, made "
              f"by benchmarks/corpus.py:\n%% invented agency (Provinsi Sampel {k}), persons x"
              f"{persons}, money x{money}. NOT A PUBLISHED REPORT.\n")
    return f"lkj-sampel-{k:04d}-{year}", header + text, spec


def render(k: int, seed: int, out_dir: Path) -> Path:
    """Write variant k's PDF into out_dir."""
    stem, text, spec = variant(k, seed)
    out = out_dir / f"{stem}.pdf"
    tmp = out.with_suffix(".pdf.part")
    lkjdoc.render(lkjdoc.parse(text, spec), tmp)
    os.replace(tmp, out)  # a corpus interrupted half way has no half-written PDF
    return out


def _render_args(args: tuple[int, int, str]) -> str:
    k, seed, out_dir = args
    return str(render(k, seed, Path(out_dir)))


def manifest(out_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def build_corpus(out_dir: Path | str, n: int = 500, seed: int = 0, jobs: int | None = None,
                 progress: bool = False) -> list[Path]:
    """The N variant PDFs in out_dir, built (in parallel processes) unless already there."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    want = {"recipe": RECIPE, "seed": seed, "n": n}
    names = [f"{variant_name(k)}.pdf" for k in range(1, n + 1)]
    old = manifest(out_dir)
    if old and {k: old.get(k) for k in want} == want and \
            all((out_dir / name).is_file() for name in names):
        return [out_dir / name for name in names]
    (out_dir / MANIFEST).unlink(missing_ok=True)
    todo = [(k, seed, str(out_dir)) for k in range(1, n + 1)]
    jobs = jobs or default_jobs()
    start = time.monotonic()
    paths: list[Path] = []
    if (jobs or 1) <= 1 or n == 1:
        for args in todo:
            paths.append(Path(_render_args(args)))
            _progress(progress, len(paths), n, start)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for path in pool.map(_render_args, todo, chunksize=4):
                paths.append(Path(path))
                _progress(progress, len(paths), n, start)
    (out_dir / MANIFEST).write_text(json.dumps({**want, "files": names}, indent=1) + "\n",
                                    encoding="utf-8")
    return paths


def variant_name(k: int) -> str:
    """The file stem of variant k (without rendering it)."""
    stem = sources()[(k - 1) % len(sources())]
    return f"lkj-sampel-{k:04d}-{stem.rsplit('-', 1)[-1]}"


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _progress(show: bool, done: int, n: int, start: float) -> None:
    if show and (done % 25 == 0 or done == n):
        print(f"  rendered {done}/{n} ({time.monotonic() - start:.0f} s)", file=sys.stderr,
              flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder for the PDFs (created)")
    parser.add_argument("-n", type=int, default=500, help="how many variants (default 500)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the figure factors")
    parser.add_argument("--jobs", "-j", type=int, default=None,
                        help="render in this many processes (default: all cores)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("-n must be at least 1")
    start = time.monotonic()
    paths = build_corpus(args.out_dir, args.n, args.seed, args.jobs, progress=True)
    print(f"{len(paths)} PDFs in {args.out_dir} ({time.monotonic() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
