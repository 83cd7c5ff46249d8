"""Near-identical texts of online advertisements: MinHash signatures computed in numpy batches
(identical to datasketch's own) and datasketch's MinHash LSH index, every candidate verified on
the signatures (see :mod:`vigie.outreach.clustering`)."""

from __future__ import annotations

import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from vigie.outreach.clustering_types import AdRecord, ClusteringSettings, Edge, LinkKind, UnionFind
from vigie.outreach.identifiers import text_fingerprint_tokens

# Tokens hashed per numpy batch when signing texts: 131,072 tokens x 128 permutations x 4 bytes is
# a 64 MB scratch matrix, large enough for numpy to run at full speed, small enough for any laptop.
_TOKENS_PER_BATCH = 1 << 17
_UINT32 = np.uint32


def _token_hashes(tokens: Iterable[str]) -> list[int]:
    """32-bit CRC of each token: stable across processes (unlike ``hash``), and about three times
    faster than datasketch's SHA-1 default. Its weak mixing does not matter: datasketch's affine32
    scheme passes every value through the MurmurHash3 finaliser before the permutations."""
    return [zlib.crc32(token.encode()) for token in tokens]


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3 32-bit finaliser, as datasketch 2 applies it in its "affine32" scheme."""
    values = values ^ (values >> _UINT32(16))
    values = values * _UINT32(0x85EBCA6B)
    values = values ^ (values >> _UINT32(13))
    values = values * _UINT32(0xC2B2AE35)
    return values ^ (values >> _UINT32(16))


def text_signatures(
    token_hashes: Sequence[Sequence[int]], *, num_perm: int = 128, seed: int = 1
) -> np.ndarray:
    """Return the MinHash signatures (one uint32 row per text) of non-empty token-hash lists.

    Identical to ``datasketch.MinHash(num_perm, seed, hashfunc=...)`` fed the same tokens (the
    test suite checks it) but computed for many texts at once: one numpy multiply-add over a batch
    of tokens and a ``minimum.reduceat`` per text, instead of a Python object per ad. That is what
    brings 1,000,000 ads within minutes.
    """
    multipliers, offsets = MinHash(num_perm=num_perm, seed=seed).permutations
    multipliers = multipliers.astype(_UINT32)
    offsets = offsets.astype(_UINT32)
    signatures = np.empty((len(token_hashes), num_perm), dtype=_UINT32)
    batch_start = 0
    while batch_start < len(token_hashes):
        flat = array("I")
        starts: list[int] = []
        batch_end = batch_start
        while batch_end < len(token_hashes) and (
            batch_end == batch_start
            or len(flat) + len(token_hashes[batch_end]) <= _TOKENS_PER_BATCH
        ):
            if not token_hashes[batch_end]:
                raise ValueError("every text must have at least one token")
            starts.append(len(flat))
            flat.extend(token_hashes[batch_end])
            batch_end += 1
        mixed = _fmix32(np.frombuffer(flat, dtype=_UINT32))
        permuted = mixed[:, None] * multipliers[None, :] + offsets[None, :]
        signatures[batch_start:batch_end] = np.minimum.reduceat(permuted, starts, axis=0)
        batch_start = batch_end
    return signatures


def _text_index(settings: ClusteringSettings) -> MinHashLSH:
    """datasketch's LSH index with the banding it finds optimal for the threshold.

    For very high thresholds with few permutations the optimal banding has a single band, which
    datasketch refuses; two bands are then used: the index only proposes candidates, and the
    verification on signatures applies the real threshold.
    """
    try:
        return MinHashLSH(threshold=settings.text_threshold, num_perm=settings.num_perm)
    except ValueError:
        return MinHashLSH(num_perm=settings.num_perm, params=(2, settings.num_perm // 2))


def _link_near_texts(
    ads: Sequence[AdRecord],
    settings: ClusteringSettings,
    union_find: UnionFind,
    edges: list[Edge],
) -> None:
    """Link ads whose texts are near-identical (estimated Jaccard >= ``text_threshold``).

    Identical texts are grouped by a dictionary before any hashing (networks copy-paste), identical
    signatures are grouped again, and only one representative per signature enters datasketch's
    MinHashLSH. Candidates returned by the index are verified on the signatures, so LSH false
    positives never become links. Edges form a spanning forest of the text links only.
    """
    first_by_text: dict[str, int] = {}
    copies: dict[int, list[int]] = defaultdict(list)
    hashed_positions: list[int] = []
    hashed_tokens: list[list[int]] = []
    for position, ad in enumerate(ads):
        if not ad.text:
            continue
        first = first_by_text.setdefault(ad.text, position)
        if first != position:
            copies[first].append(position)
            continue
        tokens = text_fingerprint_tokens(ad.text)
        if len(tokens) >= settings.min_text_tokens:
            hashed_positions.append(position)
            hashed_tokens.append(_token_hashes(sorted(tokens)))
    text_forest = UnionFind(len(ads))

    def link(source: int, target: int, similarity: float) -> None:
        union_find.union(source, target)
        if text_forest.union(source, target):
            edges.append((LinkKind.TEXT, source, target, f"{similarity:.2f}"))

    for first in hashed_positions:
        for copy in copies.get(first, ()):
            link(first, copy, 1.0)
    if not hashed_positions:
        return
    signatures = text_signatures(hashed_tokens, num_perm=settings.num_perm, seed=settings.seed)
    del hashed_tokens
    representative_by_signature: dict[bytes, int] = {}
    representatives: list[int] = []
    for row in range(len(hashed_positions)):
        key = signatures[row].tobytes()
        representative = representative_by_signature.setdefault(key, row)
        if representative == row:
            representatives.append(row)
        else:
            link(hashed_positions[representative], hashed_positions[row], 1.0)
    index = _text_index(settings)

    def lean(row: int) -> LeanMinHash:
        return LeanMinHash(seed=settings.seed, hashvalues=signatures[row], scheme="affine32")

    with index.insertion_session() as session:
        for row in representatives:
            session.insert(row, lean(row), check_duplication=False)
    for row in representatives:
        candidates = sorted(c for c in index.query(lean(row)) if c > row)
        if not candidates:
            continue
        similarities = (signatures[candidates] == signatures[row]).mean(axis=1)
        for candidate, similarity in zip(candidates, similarities.tolist(), strict=True):
            if similarity >= settings.text_threshold:
                link(hashed_positions[row], hashed_positions[candidate], similarity)
