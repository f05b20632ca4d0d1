"""A Python consumer of recd's batch stream: pyarrow reads it, TorchRec gets variable-batch KJTs.

    node examples/dist/write-batches.js batches.arrows      # or your own writeArrowStream(...)
    python3 examples/python/consume.py batches.arrows

Prints one line per batch (samples, unique rows per dedup group, ids shipped against ids after
expansion). With torch and torchrec installed it also builds each batch's KeyedJaggedTensor, the
input of a TorchRec EmbeddingBagCollection; without them it says so and stops at the arguments.
"""
import sys

from recd_batches import expand_rows, kjt_arguments, read_batches, to_keyed_jagged_tensor


def main(path: str) -> int:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        print("consume.py needs pyarrow (pip install pyarrow numpy)", file=sys.stderr)
        return 1
    try:
        import torchrec  # noqa: F401

        have_torchrec = True
    except ImportError:
        have_torchrec = False
        print("torchrec is not installed: building the KeyedJaggedTensor arguments only", file=sys.stderr)
    batches = 0
    for batch in read_batches(path):
        args = kjt_arguments(batch)
        shipped = len(args["values"])
        expanded = len(expand_rows(args, batch.size)["values"])
        strides = {key: s[0] for key, s in zip(args["keys"], args["stride_per_key_per_rank"])}
        unique = sorted({s for key, s in strides.items() if batch.rows[key].inverse is not None})
        print(f"batch {batches}: {batch.size} samples, unique rows per group {unique}, ids shipped {shipped}, after expansion {expanded}")
        if have_torchrec:
            kjt = to_keyed_jagged_tensor(args)
            print(f"  KeyedJaggedTensor: keys {kjt.keys()}, variable stride per key {kjt.stride_per_key()}")
        batches += 1
    print(f"{batches} batches")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python3 consume.py BATCHES.arrows", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
