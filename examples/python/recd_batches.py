"""Read recd's Arrow IPC batch stream in Python and hand the batches to TorchRec.

The loader (`writeArrowStream` in @recd/loader, or `recd` commands that write `.arrows` files)
writes one Arrow RecordBatch per training batch, in the layout of
packages/core/docs/arrow-schema.md. With dedup on, the session-constant features (a dedup group)
hold only their U unique rows, and the group's `inverse:<g>` column maps each of the B samples to
one of them. TorchRec's variable-batch KeyedJaggedTensor carries exactly that:
`stride_per_key_per_rank` (U rows for a group's keys, B for the others) and `inverse_indices`
(per key, the row each sample uses).

Three steps, each usable alone:

    for batch in read_batches("batches.arrows"):      # pyarrow: columns -> numpy, no copy of ids
        args = kjt_arguments(batch)                    # numpy: TorchRec's constructor arguments
        kjt = to_keyed_jagged_tensor(args)             # torch + torchrec

`expand_rows` is the plain reference of what a model gets after expansion (every sample's own
rows), used to check the other two.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional

import numpy as np

LAYOUT_VERSION = 1


@dataclass
class KeyRows:
    """One key's rows: B rows for a per-sample key, U unique rows for a key of a dedup group."""

    values: np.ndarray  # the ids of all rows, concatenated
    lengths: np.ndarray  # int32, ids per row
    weights: Optional[np.ndarray]  # float32, one per id, or None
    inverse: Optional[np.ndarray]  # int32 [B]: the row sample i uses; None for per-sample keys


@dataclass
class RecdBatch:
    size: int  # B, samples in the batch
    keys: List[str]  # every key, in the order of the (expanded) KeyedJaggedTensor
    rows: Dict[str, KeyRows]
    labels: Optional[np.ndarray]  # float32 [B]
    dense: Optional[np.ndarray]  # float32 [B, numDense]


def read_layout(schema) -> dict:
    """The `recd` schema metadata (a pyarrow Schema's), checked."""
    metadata = schema.metadata or {}
    if b"recd" not in metadata:
        raise ValueError("not a recd batch stream: the schema has no 'recd' metadata")
    layout = json.loads(metadata[b"recd"])
    if layout.get("version") != LAYOUT_VERSION:
        raise ValueError(f"recd layout version: expected {LAYOUT_VERSION}, got {layout.get('version')!r}")
    return layout


def _key_rows(record_batch, key: str, rows: int, weighted: bool, inverse) -> KeyRows:
    # a group's key column holds U valid rows then B - U nulls; slice before flattening, since
    # flatten() honours the slice and .values would not
    column = record_batch.column(key).slice(0, rows)
    import pyarrow.compute as pc

    values = column.flatten().to_numpy()
    lengths = pc.list_value_length(column).to_numpy(zero_copy_only=False).astype(np.int32)
    weights = record_batch.column(key + ":weights").slice(0, rows).flatten().to_numpy() if weighted else None
    return KeyRows(values, lengths, weights, inverse)


def decode_record_batch(layout: dict, record_batch) -> RecdBatch:
    """One pyarrow RecordBatch in recd's layout -> a RecdBatch of numpy arrays."""
    size = record_batch.num_rows
    rows: Dict[str, KeyRows] = {}
    for key in layout["passthrough"]:
        rows[key] = _key_rows(record_batch, key, size, layout["weighted"], None)
    for group in layout["groups"]:
        inverse = record_batch.column(group["inverse"]).to_numpy()
        unique = size - record_batch.column(group["keys"][0]).null_count  # U: valid rows come first
        for key in group["keys"]:
            rows[key] = _key_rows(record_batch, key, unique, layout["weighted"], inverse)
    labels = record_batch.column("label").to_numpy() if layout["labels"] else None
    dense = None
    if layout["numDense"] is not None:
        dense = record_batch.column("dense").flatten().to_numpy().reshape(size, layout["numDense"])
    return RecdBatch(size, list(layout["keys"]), rows, labels, dense)


def read_batches(source) -> Iterator[RecdBatch]:
    """Every batch of a stream (a path, a file object or bytes). Never merge or re-batch them:
    inverse indices point into their own batch's unique rows."""
    import pyarrow as pa

    reader = pa.ipc.open_stream(source)
    layout = read_layout(reader.schema)
    for record_batch in reader:
        yield decode_record_batch(layout, record_batch)


def kjt_arguments(batch: RecdBatch) -> dict:
    """TorchRec's variable-batch KeyedJaggedTensor arguments, as numpy arrays: values, lengths
    and weights key-major in `keys` order, `stride_per_key_per_rank` ([[rows of key k]]) and
    `inverse_indices` (keys, int64 array [len(keys), B]; the identity for per-sample keys)."""
    keys = batch.keys
    identity = np.arange(batch.size, dtype=np.int64)
    rows = [batch.rows[key] for key in keys]
    weighted = len(rows) > 0 and rows[0].weights is not None
    return {
        "keys": keys,
        "values": np.concatenate([r.values for r in rows]) if rows else np.zeros(0, dtype=np.int64),
        "lengths": np.concatenate([r.lengths for r in rows]) if rows else np.zeros(0, dtype=np.int32),
        "weights": np.concatenate([r.weights for r in rows]) if weighted else None,
        "stride_per_key_per_rank": [[len(r.lengths)] for r in rows],
        "inverse_indices": (
            keys,
            np.stack([identity if r.inverse is None else r.inverse.astype(np.int64) for r in rows])
            if rows
            else np.zeros((0, batch.size), dtype=np.int64),
        ),
    }


def expand_rows(args: dict, batch_size: int) -> dict:
    """The plain reference: every sample's own rows, per key (what dedup off would have sent).
    Returns {"values", "lengths", "weights"} key-major over B rows per key."""
    keys, inverse = args["inverse_indices"]
    offsets = np.concatenate([[0], np.cumsum(args["lengths"], dtype=np.int64)])
    values, lengths, weights = [], [], []
    row_start = 0
    for k, _key in enumerate(keys):
        stride = args["stride_per_key_per_rank"][k][0]
        for i in range(batch_size):
            row = row_start + int(inverse[k][i])
            start, end = offsets[row], offsets[row + 1]
            values.append(args["values"][start:end])
            lengths.append(end - start)
            if args["weights"] is not None:
                weights.append(args["weights"][start:end])
        row_start += stride
    return {
        "values": np.concatenate(values) if values else np.zeros(0, dtype=np.int64),
        "lengths": np.array(lengths, dtype=np.int32),
        "weights": np.concatenate(weights) if weights else None,
    }


def to_keyed_jagged_tensor(args: dict):
    """A TorchRec KeyedJaggedTensor (variable batch: stride per key plus inverse indices).
    Needs torch and torchrec."""
    import torch
    from torchrec.sparse.jagged_tensor import KeyedJaggedTensor

    keys, inverse = args["inverse_indices"]
    return KeyedJaggedTensor(
        keys=list(args["keys"]),
        values=torch.from_numpy(args["values"].astype(np.int64, copy=False)),
        lengths=torch.from_numpy(args["lengths"]),
        weights=None if args["weights"] is None else torch.from_numpy(args["weights"]),
        stride_per_key_per_rank=args["stride_per_key_per_rank"],
        inverse_indices=(list(keys), torch.from_numpy(inverse)),
    )
