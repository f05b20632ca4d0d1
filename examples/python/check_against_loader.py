"""Checks this folder's Python against what the TypeScript side computed for the same batches.
Run by examples/python-consumer.test.ts; not part of the example itself.

    python3 check_against_loader.py --stream  BATCHES.arrows EXPECTED.json   # needs pyarrow
    python3 check_against_loader.py --columns COLUMNS.json   EXPECTED.json   # numpy only

EXPECTED.json holds, per batch, @recd/core's `InverseKeyedJaggedTensor.toVariableBatch()` (the
TorchRec arguments, computed in TypeScript) and `expand()` (every sample's own rows). With
--stream, pyarrow decodes the Arrow stream the loader wrote; with --columns, the per-key rows come
from a JSON file that Arrow JS decoded from the same stream (when pyarrow is missing, that still
checks the numpy part). Prints one JSON line; exits 1 with the first mismatch.
"""
import json
import sys

import numpy as np

from recd_batches import KeyRows, RecdBatch, expand_rows, kjt_arguments


def ids(values):
    return np.array([int(v) for v in values], dtype=np.int64)


def floats(values):
    return None if values is None else np.array(values, dtype=np.float32)


def batches_from_columns(path):
    with open(path) as f:
        document = json.load(f)
    for batch in document["batches"]:
        rows = {
            key: KeyRows(ids(r["values"]), np.array(r["lengths"], dtype=np.int32), floats(r["weights"]), None if r["inverse"] is None else np.array(r["inverse"], dtype=np.int32))
            for key, r in batch["rows"].items()
        }
        labels = floats(batch["labels"])
        yield RecdBatch(batch["size"], batch["keys"], rows, labels, None)


def same(name, got, expected, batch_index):
    if expected is None or got is None:
        if expected is not got:
            raise AssertionError(f"batch {batch_index}: {name}: expected {expected!r}, got {got!r}")
        return
    got = np.asarray(got)
    expected = np.asarray(expected)
    if got.shape != expected.shape or not np.array_equal(got, expected):
        raise AssertionError(f"batch {batch_index}: {name}: expected shape {expected.shape} {expected[:8]}..., got shape {got.shape} {got[:8]}...")


def main(mode, source, expected_path):
    with open(expected_path) as f:
        expected = json.load(f)["batches"]
    if mode == "--stream":
        from recd_batches import read_batches

        batches = read_batches(source)
    else:
        batches = batches_from_columns(source)
    checked = 0
    unique_rows = []
    for index, batch in enumerate(batches):
        want = expected[index]
        variable = want["variableBatch"]
        args = kjt_arguments(batch)
        if list(args["keys"]) != variable["keys"]:
            raise AssertionError(f"batch {index}: keys: expected {variable['keys']}, got {args['keys']}")
        same("values", args["values"].astype(np.int64), ids(variable["values"]), index)
        same("lengths", args["lengths"], np.array(variable["lengths"], dtype=np.int32), index)
        same("weights", args["weights"], floats(variable["weights"]), index)
        same("stride_per_key_per_rank", np.array(args["stride_per_key_per_rank"]).reshape(-1), np.array(variable["stridePerKey"]), index)
        same("inverse_indices", args["inverse_indices"][1].reshape(-1), np.array(variable["inverseIndices"], dtype=np.int64), index)
        expanded = expand_rows(args, batch.size)
        same("expanded values", expanded["values"].astype(np.int64), ids(want["expanded"]["values"]), index)
        same("expanded lengths", expanded["lengths"], np.array(want["expanded"]["lengths"], dtype=np.int32), index)
        same("labels", batch.labels, floats(want["labels"]), index)
        if mode == "--stream" and want["numDense"] is not None:
            same("dense shape", np.array(batch.dense.shape), np.array([batch.size, want["numDense"]]), index)
        unique_rows.append(sorted({s[0] for s, key in zip(args["stride_per_key_per_rank"], args["keys"]) if batch.rows[key].inverse is not None}))
        checked += 1
    if checked != len(expected):
        raise AssertionError(f"expected {len(expected)} batches, read {checked}")
    print(json.dumps({"mode": mode[2:], "batches": checked, "uniqueRows": unique_rows}))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("--stream", "--columns"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        main(*sys.argv[1:])
    except AssertionError as error:
        print(f"mismatch: {error}", file=sys.stderr)
        sys.exit(1)
