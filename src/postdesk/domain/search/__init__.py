"""Search text analysis shared by both databases (no Django import).

One Python analyser turns text into *terms* for both back ends, so the same query finds the same
cases on PostgreSQL and on SQLite (docs/search.md):

- words are the runs of letters and digits (``[^\\W_]+``), lowercased;
- stop words of the document's language are dropped (the Snowball lists PostgreSQL ships as
  ``tsearch_data/<language>.stop``, copied as ``stopwords_<language>.txt``);
- each word is stemmed with the Snowball stemmer of the document's language (snowballstemmer
  2.2.0: the Snowball release PostgreSQL 15-17 compile in, so ``english``/``german``/``spanish``
  stems are PostgreSQL's; a test compares them with ``ts_lexize``);
- accents are folded after stemming, so "envio" typed without its accent still finds "envío".

A query word does not know its language: it becomes the set of its stems in all three languages
(and the word itself, folded, for names), and a document matches when it has, for every query
word, one of that word's terms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer

# Case and triage language codes -> Snowball (and PostgreSQL regconfig) names.
LANGUAGES = {"en": "english", "de": "german", "es": "spanish"}
DEFAULT_LANGUAGE = "en"
# Longer "words" are hashes, base64 and URLs glued together: nobody searches for them.
MAX_WORD_LENGTH = 48

_WORD = re.compile(r"[^\W_]+")
_STOPWORD_DIR = Path(__file__).parent


@lru_cache(maxsize=None)
def _stopwords(snowball_name: str) -> frozenset[str]:
    text = (_STOPWORD_DIR / f"stopwords_{snowball_name}.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@lru_cache(maxsize=None)
def _stemmer(snowball_name: str):
    return snowballstemmer.stemmer(snowball_name)


def snowball_name(language: str) -> str:
    return LANGUAGES.get((language or "")[:2].lower(), LANGUAGES[DEFAULT_LANGUAGE])


def fold(term: str) -> str:
    """Accents off (NFKD, combining marks dropped), case folded: é->e, ñ->n, ß->ss."""
    decomposed = unicodedata.normalize("NFKD", term)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return [word for word in _WORD.findall(text) if len(word) <= MAX_WORD_LENGTH]


def document_terms(text: str, language: str) -> set[str]:
    """The terms a document in ``language`` is indexed under."""
    name = snowball_name(language)
    stop = _stopwords(name)
    stem = _stemmer(name).stemWord
    terms = set()
    for word in words(text):
        if word in stop:
            continue
        term = fold(stem(word))
        if term:
            terms.add(term)
    return terms


def name_terms(name: str, language: str) -> set[str]:
    """A person's name: every word as written (accents folded) as well as stemmed, because a
    stemmer cuts an accented ending differently from the same name typed without it ("García"
    -> "garc", "Garcia" -> "garci" in Spanish)."""
    return {fold(word) for word in words(name)} | document_terms(name, language)


@dataclass(frozen=True)
class TextQuery:
    """Per query word, the stems any language gives it; a match needs one of each group."""

    groups: tuple[frozenset[str], ...]
    # Words left out because some language treats them as stop words ("the", "die", "el").
    ignored: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)


def query_terms(text: str) -> TextQuery:
    groups: list[frozenset[str]] = []
    ignored: list[str] = []
    for word in words(text):
        # A stop word in any language is dropped: the documents in that language do not hold it,
        # so keeping it would make a German "die Pakete" find no German case.
        if any(word in _stopwords(name) for name in LANGUAGES.values()):
            ignored.append(word)
            continue
        # The word itself too: names are indexed as written (``name_terms``).
        stems = (fold(_stemmer(name).stemWord(word)) for name in LANGUAGES.values())
        group = frozenset(term for term in (fold(word), *stems) if term)
        if group and group not in groups:
            groups.append(group)
    return TextQuery(tuple(groups), tuple(ignored))


def matches(query: TextQuery, terms: set[str] | frozenset[str]) -> bool:
    """The same rule the databases apply, for a handful of documents read in Python."""
    return bool(query) and all(group & terms for group in query.groups)


def is_safe_term(term: str) -> bool:
    # Terms go into FTS5 and tsquery strings quoted; they hold only letters and digits.
    return bool(term) and _WORD.fullmatch(term) is not None
