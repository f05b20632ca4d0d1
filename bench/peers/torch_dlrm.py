#!/usr/bin/python3
"""The same DLRM as @recd/dlrm, in PyTorch, timed the way bench/train times recd.

    /usr/bin/python3 bench/peers/torch_dlrm.py < spec.json > result.json

The spec (JSON on stdin, written by bench/peers/torch-peer.ts) names one model config and the
settings to time; the result (JSON on stdout) holds seconds per training step for each setting.
Progress goes to stderr. Exit code 3 with {"skipped": reason} when torch cannot be imported.

The model, as in packages/dlrm/src/model/dlrm.ts:
  bottom MLP (ReLU between layers, none after the last) over the dense inputs;
  one sum-pooled embedding bag per sparse feature (per-sample and session-constant);
  per session-constant sequence feature one self-attention layer: x_t = E[i_t] + P[t],
  h_t = x_t + softmax(q_t k^T / sqrt(d)) V, mean over t, then a projection;
  dot interaction (strict lower triangle) next to the bottom output; top MLP; BCE with logits.
Each setting runs at every thread count in the spec's "threads" (torch.set_num_threads).
A training step is zero_grad, forward, loss, backward and an SGD step (embedding tables with
sparse gradients, so only the touched rows change, as in recd's Sgd).

With dedup the session-constant features arrive as U unique rows plus an inverse index of length B:
their embedding bags and encoders run on the U rows and the result is expanded with
index_select(0, inverse), whose backward sums the copies' gradients into the unique row.
Without dedup every sample carries its own copy (U = B, no inverse).
"""
import json
import math
import resource
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as error:  # reported by the caller, which skips the comparison
    json.dump({"skipped": f"torch is not importable by {sys.executable}: {error}"}, sys.stdout)
    sys.exit(3)


def log(message):
    print(f"torch-peer: {message}", file=sys.stderr, flush=True)


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class AttentionEncoder(nn.Module):
    """One single-head self-attention layer over fixed-length sequences, mean-pooled, projected."""

    def __init__(self, table_size, dim, max_length):
        super().__init__()
        self.table = nn.Embedding(table_size, dim, sparse=True)
        self.position = nn.Parameter(torch.empty(max_length, dim).uniform_(-(1 / table_size) ** 0.5, (1 / table_size) ** 0.5))
        self.query = nn.Linear(dim, dim)
        self.key = nn.Linear(dim, dim)
        self.value = nn.Linear(dim, dim)
        self.projection = nn.Linear(dim, dim)
        self.scale = 1 / math.sqrt(dim)

    def forward(self, ids):  # ids: [rows, L]
        x = self.table(ids) + self.position[: ids.shape[1]]
        scores = torch.matmul(self.query(x), self.key(x).transpose(1, 2)) * self.scale
        h = x + torch.matmul(torch.softmax(scores, dim=-1), self.value(x))
        return self.projection(h.mean(dim=1))


class Dlrm(nn.Module):
    def __init__(self, spec):
        super().__init__()
        d = spec["dim"]
        self.bottom = mlp([spec["dense"]] + spec["bottomMlp"])
        self.sample_bags = nn.ModuleList(nn.Embedding(spec["tableSize"], d, sparse=True) for _ in range(spec["sampleSparse"]))
        self.session_bags = nn.ModuleList(nn.Embedding(spec["tableSize"], d, sparse=True) for _ in range(spec["sessionSparse"]))
        self.encoders = nn.ModuleList(
            AttentionEncoder(spec["tableSize"], d, spec["sequenceLength"]) for _ in range(spec["sessionSequences"])
        )
        vectors = 1 + spec["sampleSparse"] + spec["sessionSparse"] + spec["sessionSequences"]
        rows, cols = torch.tril_indices(vectors, vectors, offset=-1)
        self.register_buffer("pair_rows", rows)
        self.register_buffer("pair_cols", cols)
        self.top = mlp([d + vectors * (vectors - 1) // 2] + spec["topMlp"])

    def forward(self, dense, sample_ids, session_ids, session_sequences, inverse):
        """sample_ids [B, S]; session_ids [U, C]; session_sequences [Q][U, L]; inverse [B] or None (U = B)."""
        bottom = self.bottom(dense)
        blocks = [bottom.unsqueeze(1)]  # [B, n, d] pieces: bottom, per-sample features, session features
        if len(self.sample_bags) > 0:
            blocks.append(torch.stack([bag(sample_ids[:, f]) for f, bag in enumerate(self.sample_bags)], dim=1))
        session = [bag(session_ids[:, f]) for f, bag in enumerate(self.session_bags)]
        session += [encoder(ids) for encoder, ids in zip(self.encoders, session_sequences)]
        if session:
            stacked = torch.stack(session, dim=1)  # [U, C + Q, d]
            blocks.append(stacked if inverse is None else stacked.index_select(0, inverse))  # expand to B rows
        t = torch.cat(blocks, dim=1)
        z = torch.bmm(t, t.transpose(1, 2))[:, self.pair_rows, self.pair_cols]
        return self.top(torch.cat([bottom, z], dim=1)).squeeze(1)


def make_batch(spec, samples_per_session, dedup, generator):
    """Random data shaped like makeSessionBatch's: sessions of `samples_per_session` consecutive samples."""
    b = spec["batchSize"]
    n = spec["tableSize"]
    sessions = -(-b // samples_per_session)
    inverse = torch.arange(b) // samples_per_session
    dense = torch.randn(b, spec["dense"], generator=generator)
    labels = torch.randint(0, 2, (b,), generator=generator).float()
    sample_ids = torch.randint(0, n, (b, spec["sampleSparse"]), generator=generator)
    session_ids = torch.randint(0, n, (sessions, spec["sessionSparse"]), generator=generator)
    sequences = [torch.randint(0, n, (sessions, spec["sequenceLength"]), generator=generator) for _ in range(spec["sessionSequences"])]
    if dedup:
        return dense, labels, sample_ids, session_ids, sequences, inverse
    return dense, labels, sample_ids, session_ids[inverse], [s[inverse] for s in sequences], None


def measure(spec, samples_per_session, dedup):
    torch.manual_seed(spec["seed"])
    model = Dlrm(spec)
    optimizer = torch.optim.SGD(model.parameters(), lr=spec["lr"])
    loss_fn = nn.BCEWithLogitsLoss()
    dense, labels, sample_ids, session_ids, sequences, inverse = make_batch(spec, samples_per_session, dedup, torch.Generator().manual_seed(samples_per_session))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(dense, sample_ids, session_ids, sequences, inverse), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    warm_until = time.perf_counter() + spec["warmupSeconds"]
    while True:
        loss = step()
        if not math.isfinite(loss):
            raise RuntimeError(f"non-finite loss {loss}")
        if time.perf_counter() >= warm_until:
            break
    wall, cpu = [], []
    for _ in range(spec["repetitions"]):
        calls = 0
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        while True:
            step()
            calls += 1
            if time.perf_counter() - wall_start >= spec["minRepetitionSeconds"]:
                break
        wall.append((time.perf_counter() - wall_start) / calls)
        cpu.append((time.process_time() - cpu_start) / calls)
    return {"samplesPerSession": samples_per_session, "dedup": dedup, "threads": torch.get_num_threads(), "uniqueRows": session_ids.shape[0], "secondsPerStep": wall, "cpuSecondsPerStep": cpu}


def main():
    spec = json.load(sys.stdin)
    results = []
    for samples_per_session in spec["samplesPerSession"]:
        for dedup in spec["dedup"]:
            for threads in spec["threads"]:
                torch.set_num_threads(threads)
                log(f"config {spec['name']}, {samples_per_session} samples/session, dedup {'on' if dedup else 'off'}, {threads} threads")
                results.append(measure(spec, samples_per_session, dedup))
    json.dump({
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "results": results,
    }, sys.stdout)


if __name__ == "__main__":
    main()
