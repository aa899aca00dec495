"""Rows for PostgreSQL's COPY (text format), built with array operations: no Python object per row.

Each field is a block of byte columns, one row per line; a number's unused leading places hold NUL
bytes, which are dropped at the end (NUL never occurs in COPY text), so every line ends up as long as
its content. Only digits, letters and the bytea prefix's backslash (escaped) are written.
"""

from __future__ import annotations

import numpy as np

HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def text(n: int, value: str) -> np.ndarray:
    """The same text on each of n lines."""
    return np.broadcast_to(np.frombuffer(value.encode(), dtype=np.uint8), (n, len(value.encode())))


def number(values: np.ndarray) -> np.ndarray:
    """Non-negative whole numbers in decimal, as wide as the largest."""
    values = np.asarray(values, dtype=np.int64)
    width = len(str(int(values.max(initial=0))))
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    out = ((values[:, None] // powers) % 10 + ord("0")).astype(np.uint8)
    out[(values[:, None] < powers) & (powers > 1)] = 0  # no leading zeros; 0 itself stays "0"
    return out


def boolean(values: np.ndarray) -> np.ndarray:
    return np.where(np.asarray(values, dtype=bool), ord("t"), ord("f")).astype(np.uint8)[:, None]


def bytea(values: np.ndarray) -> np.ndarray:
    """Rows of bytes (uint8 matrix) as bytea hex input, its backslash escaped for COPY."""
    n, m = values.shape
    hexed = np.empty((n, 2 * m), dtype=np.uint8)
    hexed[:, 0::2] = HEX[values >> 4]
    hexed[:, 1::2] = HEX[values & 15]
    return np.hstack([text(n, "\\\\x"), hexed])


def lines(fields: list[np.ndarray]) -> bytes:
    """Join the fields of each row with tabs and end each row with a newline."""
    if not fields or not len(fields[0]):
        return b""
    n = len(fields[0])
    parts = []
    for i, field in enumerate(fields):
        if i:
            parts.append(text(n, "\t"))
        parts.append(field)
    parts.append(text(n, "\n"))
    flat = np.hstack(parts).ravel()
    return flat[flat != 0].tobytes()
