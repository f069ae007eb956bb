"""Row operations on sparse matrices that alignment and the story finder share: rows of length
one, and the dot products of chosen pairs of rows without the whole product."""

from __future__ import annotations

import numpy as np
from scipy import sparse

WHOLE_PRODUCT_CELLS = 4_000_000  # rows x rows up to which the whole product is the quicker way
DENSE_PRODUCT_CELLS = 1_000_000  # and up to which it is read as a dense array (8 MB at most)


def unit_rows(m: sparse.spmatrix) -> sparse.csr_matrix:
    """Rows scaled to length 1 (empty rows stay empty), so dot products are cosines."""
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags(1.0 / norms) @ m).tocsr()


def rowwise_dot(
    m: sparse.csr_matrix, a: np.ndarray, b: np.ndarray, other: sparse.csr_matrix | None = None, chunk: int = 20_000
) -> np.ndarray:
    """Dot products of rows a[k] of `m` and b[k] of `other` (default: `m`; for unit rows,
    cosines): through the whole product for small inputs, else row by row in chunks so that big
    inputs stay small in memory."""
    other = m if other is None else other
    cells = m.shape[0] * other.shape[0]
    if cells <= DENSE_PRODUCT_CELLS:
        # one sparse product, then its entries from a dense copy: indexing a sparse matrix by
        # pairs costs more than the copy at this size
        return (m @ other.T).toarray()[a, b].astype(np.float64)
    if cells <= WHOLE_PRODUCT_CELLS:
        # one sparse product, then its entries: picking rows pair by pair costs more here
        return np.asarray((m @ other.T).tocsr()[a, b], dtype=np.float64).ravel()
    out = np.empty(len(a))
    for start in range(0, len(a), chunk):
        part = slice(start, start + chunk)
        out[part] = np.asarray(m[a[part]].multiply(other[b[part]]).sum(axis=1)).ravel()
    return out
