"""Case numbers the desk issues and customers quote back, e.g. "K7M-9QX-4RT".

Nine symbols from a 31-symbol alphabet: eight random ones and a check symbol. The alphabet
leaves out 0, 1, I, L and O, which people confuse when reading a number aloud or retyping it
from a printout, so every symbol a customer sees is unambiguous.

Why the check symbol catches the common typos: the check symbol is chosen so that

    sum(i * value(symbol_i) for i = 1..9)  ==  0  (mod 31).

31 is prime, so every non-zero residue has an inverse and the weights 1..9 are all non-zero
mod 31.
  * A single substitution at position i changes the sum by i * (new - old). Both factors are
    between 1 and 30 in absolute value and 31 is prime, so the change is never 0 mod 31.
  * Swapping the symbols a and b at positions i and j changes the sum by (j - i) * (a - b),
    again a product of two factors that 31 does not divide. This covers every adjacent
    transposition and, because |j - i| <= 8, every jump transposition too.
A mistyped number is therefore rejected instead of attaching a reply to someone else's case.
"""

from __future__ import annotations

import re
import secrets
from typing import Protocol

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MODULUS = len(ALPHABET)  # 31, a prime: the error detection argument above depends on it
RANDOM_LENGTH = 8
LENGTH = RANDOM_LENGTH + 1
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
# The check symbol has weight 9; multiplying by 9's inverse mod 31 (7, since 63 = 2*31 + 1)
# solves 9 * check == -partial_sum for the check value.
_INVERSE_OF_LAST_WEIGHT = pow(LENGTH, -1, MODULUS)

# In free text the display form (hyphens, any case) is accepted as is. The compact form must
# contain a digit, otherwise ordinary nine-letter words ("STRETCHED") would pass one time in 31.
_DISPLAY_IN_TEXT = re.compile(
    rf"(?<![A-Za-z0-9])([{ALPHABET}]{{3}})-([{ALPHABET}]{{3}})-([{ALPHABET}]{{3}})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_COMPACT_IN_TEXT = re.compile(
    rf"(?<![A-Za-z0-9])(?=[A-Za-z]*[2-9])[{ALPHABET}]{{9}}(?![A-Za-z0-9])", re.IGNORECASE
)


class _Chooser(Protocol):
    def choice(self, sequence: str) -> str: ...


def _weighted_sum(symbols: str) -> int:
    return sum(position * _VALUE[symbol] for position, symbol in enumerate(symbols, start=1))


def _check_symbol(body: str) -> str:
    return ALPHABET[(-_weighted_sum(body) * _INVERSE_OF_LAST_WEIGHT) % MODULUS]


def generate(rng: _Chooser = secrets) -> str:
    """A new random case number in display form.

    Random rather than sequential so case numbers reveal nothing about volume and cannot be
    guessed from one another. `rng` is anything with `choice` (a seeded `random.Random` in
    tests); uniqueness is the caller's job (31**8, about 8.5e11, numbers make collisions rare,
    not impossible).
    """
    body = "".join(rng.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return format(body + _check_symbol(body))


def normalise(raw: str) -> str:
    return re.sub(r"[\s\-]+", "", raw).upper()


def is_valid(raw: str) -> bool:
    compact = normalise(raw)
    return (
        len(compact) == LENGTH
        and all(symbol in _VALUE for symbol in compact)
        and _weighted_sum(compact) % MODULUS == 0
    )


def format(compact: str) -> str:  # noqa: A001 - the module namespace makes the meaning clear
    """Display form "XXX-XXX-XXX" of a compact (or already formatted) case number."""
    compact = normalise(compact)
    return f"{compact[0:3]}-{compact[3:6]}-{compact[6:9]}"


def parse(raw: str) -> str | None:
    """The canonical display form if `raw` is a valid case number, else None."""
    return format(raw) if is_valid(raw) else None


def find_in_text(text: str) -> list[str]:
    """Valid case numbers quoted in text (subjects like "Re: [Case K7M-9QX-4RT]"), in display
    form, de-duplicated, in order of appearance. Check-invalid look-alikes are ignored.
    """
    candidates = [
        (match.start(), match.group())
        for pattern in (_DISPLAY_IN_TEXT, _COMPACT_IN_TEXT)
        for match in pattern.finditer(text)
    ]
    found: list[str] = []
    for _, candidate in sorted(candidates):
        case_number = parse(candidate)
        if case_number is not None and case_number not in found:
            found.append(case_number)
    return found
