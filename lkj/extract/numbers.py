"""Read printed Indonesian numbers (LKj table cells) into exact values, keeping the raw text.

Why this module exists: in these reports one dot has two meanings. `16.000 Orang` is sixteen
thousand, `168.26` is a percentage; commas are decimal points (`75,35`) or, from web systems,
thousands separators (`26,922 orang`). The parser applies general rules only. Whenever a
reading depended on the column's kind, on a unit word or on a convention, it says so in
`flags`; whenever it cannot decide, `value` is None and a flag says why. Nothing is guessed
silently, nothing becomes 0, and `raw` always holds the cell text exactly as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any, Literal

from lkj.schemas import families

Kind = Literal["count", "money", "percent", "score", "unknown"]

# Flags a Quantity can carry (documented here so callers can match on them).
FLAGS: tuple[str, ...] = (
    "empty",  # blank, "-" alone, "Rp -": nothing printed (never 0)
    "no_number",  # text without any number
    "multi_value",  # two or more figures in one cell; value None
    "labelled",  # exactly one "YYYY : n" figure, kept in `labelled` and used as value
    "unreadable",  # digits and separators that follow no grouping convention ("1.2.3")
    "ambiguous_separator",  # "1.000" with kind unknown and no deciding unit; value None
    "separator_by_kind",  # the column kind decided an ambiguous separator
    "separator_by_unit",  # kind was "unknown"; the unit (Rp, %, Orang...) decided it
    "kind_unit_mismatch",  # the unit printed in the cell contradicts the column kind
    "comma_thousands",  # comma read as thousands separator ("26,922 orang")
    "us_style",  # comma thousands with dot decimal ("1,234.56")
    "mixed_separators",  # dots then comma + 3 digits read as all thousands (money/count)
    "no_cents_mark",  # trailing ",-" ("Rp. 1.250.000,-")
    "separator_by_closing_mark",  # "1.128," / "1.128,-": the decimal mark closes it, "." groups
    "scaled_word",  # ribu/juta/miliar/triliun multiplier applied exactly
    "fractional_count",  # a count with a non-zero fractional part
)

#: The unit words (lkj.schemas.families: one list for the whole package).
COUNT_UNITS, SCORE_UNITS = families.COUNT_UNITS, families.SCORE_UNITS
_UNIT_ALIASES = {"org": "orang", "persen": "%", "pct": "%"}

_SCALES = {
    "ribu": 10**3,
    "rb": 10**3,
    "juta": 10**6,
    "jt": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "triliun": 10**12,
}

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
_RP_GLUED = re.compile(r"(?i)\brp\.?\s*(?=-?[0-9])")
_DASHES_ONLY = re.compile(r"[-\u2013\u2014]+")
_RP_EMPTY = re.compile(r"(?i)rp\.?\s*[-\u2013\u2014]+(?:,-+)?")
# A number token: not glued to a preceding letter/digit/separator. `lead` catches ".5"
# (unreadable), `sign` a minus directly before the digits.
_NUMBER = re.compile(
    r"(?<![^\W_])(?<![.,])(?P<lead>[.,](?=[0-9]))?(?P<sign>-(?=[0-9]))?"
    r"(?P<num>[0-9]+(?:[.,][0-9]+)*)"
)
_LABELLED = re.compile(
    r"(?<![^\W_])(?<![.,])(?P<label>(?:19|20)[0-9]{2})\s*:\s*"
    r"(?P<sign>-(?=[0-9]))?(?P<num>[0-9]+(?:[.,][0-9]+)*)"
)
_RP_BEFORE = re.compile(r"(?i)\brp\.?\s*$")
_NO_CENTS = re.compile(r"[,.]-+")
_SCALE = re.compile(r"\s*(ribu|rb|juta|jt|miliar|milyar|triliun)\b\.?", re.IGNORECASE)
_PERCENT = re.compile(r"\s*(%|persen\b)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_UNIT_WORD = re.compile(r"\s*([^\W\d_]+)")
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOTE_EDGES = " \t-\u2013\u2014:;,./*\u2022'\"|"

_KINDS: tuple[str, ...] = ("count", "money", "percent", "score", "unknown")
_THOUSANDS_KINDS = ("count", "money")
_DECIMAL_KINDS = ("percent", "score")
_KIND_CLASS = {"count": "count", "money": "money", "percent": "ratio", "score": "ratio"}


@dataclass(frozen=True)
class Quantity:
    """One printed figure: its raw text, exact value (or None), unit, note and flags."""

    raw: str
    value: Decimal | None
    unit: str | None
    note: str | None
    flags: tuple[str, ...]
    labelled: tuple[tuple[str, Decimal], ...] = ()


def _normalise(raw: str) -> str:
    text = _INVISIBLE.sub("", raw).replace("\u2212", "-")
    text = _SPACES.sub(" ", text).strip()
    # "Rp40,10" / "Rp.4.308" -> "Rp. 40,10" so the number is a token of its own.
    return _RP_GLUED.sub("Rp. ", text)


def _decimal(integer: str, fraction: str) -> Decimal:
    return Decimal(f"{integer}.{fraction}")


def _read_digits(num: str, kind: str) -> tuple[Decimal | None, set[str], bool]:
    """Read digits with '.'/',' separators. Returns (value, flags, decided_by_kind).

    Why so careful: a separator followed by exactly three digits can be thousands or decimal;
    only the kind (count/money vs percent/score) can decide it, and that must be reported.
    """
    seps = [c for c in num if c in ".,"]
    groups = re.split(r"[.,]", num)
    if not seps:
        return Decimal(num), set(), False
    lead, rest = groups[0], groups[1:]
    last = seps[-1]
    earlier = set(seps[:-1])
    if not earlier:  # exactly one separator
        frac = rest[0]
        if len(frac) != 3 or len(lead) > 3 or lead.startswith("0"):
            # Not a valid thousands grouping ("88.73", "75,35", "1234.567", "0.125").
            return _decimal(lead, frac), set(), False
        if kind in _THOUSANDS_KINDS:
            return Decimal(lead + frac), ({"comma_thousands"} if last == "," else set()), True
        if kind in _DECIMAL_KINDS:
            return _decimal(lead, frac), set(), True
        return None, {"ambiguous_separator"}, False
    if len(earlier) > 1:
        return None, {"unreadable"}, False
    group_sep = earlier.pop()
    middle, frac = rest[:-1], rest[-1]
    if not 1 <= len(lead) <= 3 or lead.startswith("0") or any(len(g) != 3 for g in middle):
        return None, {"unreadable"}, False
    if last == group_sep:  # "3.161.617.000", "1,234,567"
        if len(frac) != 3:
            return None, {"unreadable"}, False
        return Decimal(lead + "".join(rest)), ({"comma_thousands"} if last == "," else set()), False
    style = {"us_style"} if group_sep == "," else set()
    integer = lead + "".join(middle)
    if len(frac) != 3:  # "1.234,56", "1,234.56"
        return _decimal(integer, frac), style, False
    # "3.161.617,000": decimal with three places, or a mis-typed thousands separator.
    if kind in _THOUSANDS_KINDS:
        return Decimal(integer + frac), {"mixed_separators"}, True
    if kind in _DECIMAL_KINDS:
        return _decimal(integer, frac), style, True
    return None, {"ambiguous_separator"}, False


def _has_fraction(value: Decimal) -> bool:
    """Non-zero digits after the decimal point (exact, whatever the size of the number)."""
    _, digits, exponent = value.as_tuple()
    return isinstance(exponent, int) and exponent < 0 and any(digits[exponent:])


def _unit_kind(unit: str | None) -> str | None:
    if unit in families.MONEY_UNITS:
        return "money"
    if unit in families.PERCENT_UNITS:
        return "percent"
    if unit in SCORE_UNITS:
        return "score"
    if unit in COUNT_UNITS:
        return "count"
    return None


def _clean_note(text: str) -> str | None:
    text = text.replace("(", " ").replace(")", " ").replace("[", " ").replace("]", " ")
    text = _SPACES.sub(" ", text).strip(_NOTE_EDGES).strip()
    return text or None


def parse_quantity(raw: str | None, kind: Kind = "unknown") -> Quantity:
    """Parse one cell into a Quantity; never raises, never guesses silently.

    `kind` is the meaning of the column (count, money, percent, score); it decides the
    ambiguous "separator + three digits" case. With kind "unknown" a unit printed in the
    cell (Rp, %, Orang, ...) may decide instead (flag "separator_by_unit"). An invalid
    `kind` is a programming error and raises ValueError.
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, not {kind!r}")
    raw_text = "" if raw is None else str(raw)
    text = _normalise(raw_text)
    if not text or _DASHES_ONLY.fullmatch(text):
        return Quantity(raw_text, None, None, None, ("empty",))
    if _RP_EMPTY.fullmatch(text):
        return Quantity(raw_text, None, "rp", None, ("empty",))

    flags: set[str] = set()
    consumed = [False] * len(text)

    def consume(start: int, end: int) -> None:
        for i in range(start, end):
            consumed[i] = True

    # Year-labelled figures: "2022 : 883 2023 : 959".
    labelled: list[tuple[str, Decimal]] = []
    label_matches = list(_LABELLED.finditer(text))
    for m in label_matches:
        value, read_flags, _ = _read_digits(m.group("num"), kind)
        if value is None:
            flags |= read_flags
            continue
        labelled.append((m.group("label"), value.copy_negate() if m.group("sign") else value))
    label_starts = {m.start("label") for m in label_matches}
    tokens = [t for t in _NUMBER.finditer(text) if t.start() not in label_starts]

    def nothing(flag: str) -> Quantity:
        flags.add(flag)
        return Quantity(raw_text, None, None, None, tuple(sorted(flags)), tuple(labelled))

    if len(label_matches) >= 2 or len(tokens) > 1:
        return nothing("multi_value")
    if not tokens:
        return nothing("no_number")
    for m in label_matches:  # one labelled figure: it is the value; the label is not a note
        flags.add("labelled")
        consume(m.start(), m.start("num") - (1 if m.group("sign") else 0))

    token = tokens[0]
    consume(token.start(), token.end())
    unit: str | None = None
    scale: int | None = None

    rp = _RP_BEFORE.search(text, 0, token.start())
    if rp:
        unit = "rp"
        consume(rp.start(), rp.end())
    pos = token.end()
    m = _NO_CENTS.match(text, pos)
    if m:
        flags.add("no_cents_mark")
        consume(m.start(), m.end())
        pos = m.end()
    m = _SCALE.match(text, pos)
    if m:
        scale = _SCALES[m.group(1).lower()]
        flags.add("scaled_word")
        consume(m.start(), m.end())
        pos = m.end()
    m = _PERCENT.match(text, pos)
    if m:
        if unit is None:
            unit = "%"
            consume(m.start(), m.end())
        pos = m.end()
    if unit is None:
        # Parenthesised text is a note, never the unit: look past it.
        masked = _PARENS.sub(lambda p: " " * len(p.group()), text)
        m = _UNIT_WORD.match(masked, pos)
        if m:
            word = m.group(1).lower()
            word = _UNIT_ALIASES.get(word, word)
            free = "".join(" " if consumed[i] else ch for i, ch in enumerate(masked))
            if word in COUNT_UNITS or word in SCORE_UNITS or len(_WORD.findall(free)) == 1:
                unit = word
                consume(m.start(1), m.end(1))
    note = _clean_note("".join(ch for i, ch in enumerate(text) if not consumed[i]))

    # The column kind decides; a unit in the cell decides only when the kind is unknown.
    unit_kind = _unit_kind(unit)
    if kind != "unknown":
        effective, source = kind, "separator_by_kind"
        if unit_kind and _KIND_CLASS[unit_kind] != _KIND_CLASS[kind]:
            flags.add("kind_unit_mismatch")
    else:
        effective, source = (unit_kind or "unknown"), "separator_by_unit"

    num = token.group("num")
    closing = text[token.end():token.end() + 1]
    if token.group("lead"):
        value, read_flags, decided = None, {"unreadable"}, False
    elif (effective not in _THOUSANDS_KINDS and closing in (".", ",")
          and set(re.sub(r"\d", "", num)) == {".,".replace(closing, "")}):
        # "1.128," and "1.128,-": a decimal mark with no digits after it closes the number
        # (no cents), so the other separator before it groups thousands, whatever the kind.
        value, read_flags, decided = _read_digits(num, "count")
        if decided:
            read_flags, decided = read_flags | {"separator_by_closing_mark"}, False
    else:
        value, read_flags, decided = _read_digits(num, effective)
    flags |= read_flags
    if decided:
        flags.add(source)
    if value is not None:
        if token.group("sign"):
            value = value.copy_negate()  # exact, unlike unary minus
        if scale is not None:
            with localcontext() as ctx:  # exact: enough digits for any printed number
                ctx.prec = len(token.group("num")) + 20
                value = value * scale
        if effective == "count" and _has_fraction(value):
            flags.add("fractional_count")
    return Quantity(raw_text, value, unit, note, tuple(sorted(flags)), tuple(labelled))


STYLES: tuple[str, ...] = (
    "dot_thousands",
    "comma_decimal",
    "dot_decimal",
    "rp_dots",
    "rp_no_cents",
    "us_thousands",
    "percent_dot",
    "percent_comma_persen",
)


def _group(integer: str, sep: str) -> str:
    parts = []
    while len(integer) > 3:
        parts.append(integer[-3:])
        integer = integer[:-3]
    parts.append(integer)
    return sep.join(reversed(parts))


def format_number(value: Decimal, style: str) -> str:
    """Print `value` the way Indonesian reports do (see STYLES); used to test the parser.

    Fraction digits are printed exactly as the Decimal holds them; "rp_no_cents" needs an
    integer. Raises ValueError for an unknown style.
    """
    sign = "-" if value < 0 else ""
    integer, _, frac = f"{value.copy_abs():f}".partition(".")
    if style == "dot_thousands":
        return sign + _group(integer, ".") + ("," + frac if frac else "")
    if style == "comma_decimal":
        return sign + integer + ("," + frac if frac else "")
    if style == "dot_decimal":
        return sign + integer + ("." + frac if frac else "")
    if style == "rp_dots":
        return "Rp. " + sign + _group(integer, ".") + ("," + frac if frac else "")
    if style == "rp_no_cents":
        if frac.strip("0"):
            raise ValueError("rp_no_cents needs a whole number")
        return "Rp. " + sign + _group(integer, ".") + ",-"
    if style == "us_thousands":
        return sign + _group(integer, ",") + ("." + frac if frac else "")
    if style == "percent_dot":
        return sign + integer + ("." + frac if frac else "") + "%"
    if style == "percent_comma_persen":
        return sign + integer + ("," + frac if frac else "") + " persen"
    raise ValueError(f"unknown style {style!r}; expected one of {STYLES}")


def decimals(raw: str, kind: Kind = "unknown") -> int | None:
    """How many decimals the printed number shows ("168.26" -> 2), for rounding tolerance.

    None when the cell has no single readable value (empty, ambiguous, multi-value). For a
    scaled figure ("Rp40,10 triliun") it is the printed decimals (2), not the value's precision.
    """
    value = parse_quantity(raw, kind).value
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else None


def display_number(value: Any) -> str:
    """A figure for people, never ambiguous: dot only as the decimal point, thousands
    grouped by spaces from 10 000 up ('7 469 884 000', '2022', '104.03'); '' for null."""
    if value is None or value == "":
        return ""
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    if f != f:
        return ""
    if f.is_integer():
        n = int(f)
        return f"{n:,}".replace(",", " ") if abs(n) >= 10_000 else str(n)
    text = f"{f:.6f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    if abs(int(whole)) >= 10_000:
        whole = f"{int(whole):,}".replace(",", " ")
    return f"{whole}.{frac}" if frac else whole
