import { KeyedJaggedTensor, Rng, dedup } from '@recd/core';
import { Dlrm, type TrainingBatch } from '@recd/dlrm';
import { denseGrad } from './model-helpers';

/**
 * A learnable task: the click probability depends on the first dense input, on the item (through
 * a hidden per-item effect) and on the user's history (users whose history holds more even ids
 * click more). The model must pick all three up through the MLPs, the tables and the encoder.
 */
function makeTask(size: number, seed: number): TrainingBatch {
  const rng = new Rng(seed);
  const itemEffect = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? 2 : -1.5));
  const dense = new Float32Array(size * 2);
  const labels = new Float32Array(size);
  const items: bigint[] = [];
  const users: bigint[] = [];
  const histories: bigint[][] = [];
  let history: bigint[] = [];
  let user = 0n;
  for (let i = 0; i < size; i++) {
    if (i % 4 === 0) {
      user = BigInt(rng.nextInt(1000));
      history = Array.from({ length: 1 + rng.nextInt(5) }, () => BigInt(rng.nextInt(30)));
    }
    const item = rng.nextInt(20);
    dense[2 * i] = rng.nextNormal();
    dense[2 * i + 1] = rng.nextNormal();
    const evenShare = history.filter((id) => id % 2n === 0n).length / history.length;
    const score = 1.5 * dense[2 * i] + itemEffect[item] + 3 * (evenShare - 0.5);
    labels[i] = score > 0 ? 1 : 0;
    items.push(BigInt(item));
    users.push(user);
    histories.push(history);
  }
  const sparse = KeyedJaggedTensor.fromLengths({ keys: ['item'], values: BigInt64Array.from(items), lengths: new Int32Array(size).fill(1) });
  const session = KeyedJaggedTensor.fromLengths({
    keys: ['user', 'history'],
    values: BigInt64Array.from([...users, ...histories.flat()]),
    lengths: Int32Array.from([...users.map(() => 1), ...histories.map((h) => h.length)]),
  });
  return { size, labels, dense, sparse, sessionSparse: dedup(session, [['user', 'history']]) };
}

test('a few SGD steps (value -= lr * grad) lower the loss on a learnable task', () => {
  const model = new Dlrm({
    dense: 2,
    sparse: [{ name: 'item', tableSize: 20 }, { name: 'user', tableSize: 64 }],
    sequence: [{ name: 'history', tableSize: 30, maxLength: 5, encoder: 'attention' }],
    embeddingDim: 8,
    bottomMlp: [16, 8],
    topMlp: [16, 1],
    seed: 1,
  });
  const train = makeTask(256, 1);
  const heldOut = makeTask(256, 2);
  const before = model.loss(heldOut);
  for (let step = 0; step < 60; step++) {
    model.lossAndBackward(train);
    for (const param of model.parameters()) {
      const grad = denseGrad(param); // untouched table rows count as zero
      for (let i = 0; i < grad.length; i++) param.value[i] -= 0.5 * grad[i];
    }
  }
  const after = model.loss(heldOut);
  expect(after).toBeLessThan(0.7 * before);
  expect(model.loss(train)).toBeLessThan(after + 0.1);
});
