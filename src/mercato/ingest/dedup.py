"""Same story, many copies: canonical URLs, exact content hashes and SimHash near-duplicates.

Pure functions; the store keeps the values and asks who else has them.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mercato.text import fold

# Query parameters that track a click rather than identify a page.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "ga_", "_hs")
_TRACKING_KEYS = {
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ref", "ref_src", "ref_url", "cmpid",
    "source", "ito", "ns_mchannel", "ns_source", "ns_campaign", "ocid", "xtor", "at_medium", "at_campaign",
    "guccounter", "amp", "output", "s", "share", "sharing", "_ga",
}


def canonical_url(url: str) -> str:
    """A URL with tracking parameters, fragments, default ports and `www.` removed, scheme https."""
    url = url.strip()
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    path = path.removesuffix("/amp").removesuffix("/index.html") or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=False)
        if k.lower() not in _TRACKING_KEYS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    return urlunsplit(("https", netloc, path, urlencode(sorted(query)), ""))


@lru_cache(maxsize=8)
def normalized_text(text: str) -> str:
    # Cached: content_hash and simhash fold the same article one after the other.
    return fold(text)


def content_hash(text: str) -> str:
    """Hash of the folded text: the same article with other whitespace, case or accents hashes equal."""
    return hashlib.sha256(normalized_text(text).encode("utf-8")).hexdigest()


def _shingles(tokens: list[str], size: int = 4) -> list[str]:
    if len(tokens) < size:
        return [" ".join(tokens)] if tokens else []
    return [" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]


# _BIT_TABLES[k] maps a byte to 1 when its bit k is set, else 0 (a bytes.translate table).
_BIT_TABLES = [bytes((b >> k) & 1 for b in range(256)) for k in range(8)]


def simhash(text: str, bits: int = 64) -> int:
    """64-bit SimHash over word 4-shingles of the folded text.

    Equal, bit for bit, to the plain definition (blake2b-64 of each shingle " ".join(tokens[i:i+4])
    as a big-endian integer; bit i set when more shingles have it set than not), which stores keep
    in their rows. Computed on bytes: the folded text has single spaces between tokens, so its
    UTF-8 encoding splits into the same tokens, and the vote of each bit is a C-level translate
    and count over the column of digest bytes holding it.
    """
    data = normalized_text(text).encode("utf-8")
    if not data:
        return 0
    tokens = data.split(b" ")
    # Shingle i is tokens i..i+3 (zip stops at the shortest: the last full window).
    windows = zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False)
    shingles = list(map(b" ".join, windows)) if len(tokens) >= 4 else [data]
    blake2b = hashlib.blake2b
    digests = b"".join([blake2b(sh, digest_size=8).digest() for sh in shingles])
    n = len(shingles)
    value = 0
    for i in range(min(bits, 64)):
        if i % 8 == 0:
            # Bits i..i+7 of the big-endian 64-bit integer are byte 7 - i // 8 of every digest.
            column = digests[7 - i // 8 :: 8]
        if 2 * column.translate(_BIT_TABLES[i % 8]).count(1) > n:
            value |= 1 << i
    return value


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


NEAR_DUPLICATE_BITS = 3  # at most this many differing bits of 64: a syndicated or lightly edited copy


def is_near_duplicate(a: int, b: int, threshold: int = NEAR_DUPLICATE_BITS) -> bool:
    return hamming(a, b) <= threshold


def simhash_bands(value: int, bands: int = 4, bits: int = 64) -> list[int]:
    """Split a SimHash in bands: two hashes within `bands - 1` bits share at least one band exactly,
    so a store can index bands and compare only candidates (pigeonhole principle)."""
    width = bits // bands
    mask = (1 << width) - 1
    return [(value >> (i * width)) & mask for i in range(bands)]
