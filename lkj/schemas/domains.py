"""The words of one ministry's domain, kept out of the general code.

A report counts what its ministry serves: migrant workers (`PMI`, `CPMI`) for the migrant
workers' protection agency, patients for a health office, pupils for an education one. Such
words are units ("372 PMI" is a count of persons) and, in indicator names, words that say
nothing about which indicator is meant ("Jumlah PMI ..." vs "Jumlah penempatan PMI ...").
Each domain lists its own here; the general code reads their union, so another ministry's
words sit beside these without a line of code elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    name: str
    #: Words that name persons counted (read as the unit "orang").
    person_units: frozenset[str] = frozenset()
    #: Other words that name what is counted.
    count_units: frozenset[str] = frozenset()
    #: Words of indicator names that do not tell one indicator from another.
    generic_words: frozenset[str] = frozenset()


DOMAINS: tuple[Domain, ...] = (
    Domain("pelindungan pekerja migran (BP2MI / KP2MI)",
           person_units=frozenset({"pmi", "cpmi"}),
           generic_words=frozenset({"pekerja", "migran", "indonesia", "pmi", "cpmi"})),
    # harvests and land: "1.000 Ton", "2.000 Ha" (dot = thousands, as for persons)
    Domain("pertanian", count_units=frozenset({"ton", "ha", "hektar", "kuintal"})),
)

PERSON_UNITS = frozenset().union(*(d.person_units for d in DOMAINS))
COUNT_UNITS = PERSON_UNITS.union(*(d.count_units for d in DOMAINS))
GENERIC_WORDS = frozenset().union(*(d.generic_words for d in DOMAINS))
