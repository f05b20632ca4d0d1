import { openDataset } from '@recd/loader';
import { chunksOf, collect, itemsOf, sessionLengths, tempRoot, writeDataset } from './helpers';

test('ranks read disjoint row groups that together are the whole dataset, every epoch, shuffled or not', async () => {
  const temp = tempRoot('recd-loader-ranks-');
  try {
    const lengths = sessionLengths(150, 8);
    const rows = lengths.reduce((a, b) => a + b, 0);
    await writeDataset(temp.dir('d'), chunksOf(lengths, 60), { shards: 3, rowGroupSize: 40 });
    for (const shuffle of [undefined, { seed: 3, window: 4 }]) {
      const worldSize = 3;
      const perRank: number[][][] = [];
      for (let rank = 0; rank < worldSize; rank++) {
        const dataset = await openDataset(temp.dir('d'), { batchSize: 32, epochs: 2, rank, worldSize, shuffle });
        const items = (await collect(dataset)).flatMap(itemsOf);
        const perEpoch = items.length / 2;
        perRank.push([items.slice(0, perEpoch), items.slice(perEpoch)]);
        if (rank === 1) expect(dataset.describe()).toContain('rank(1 of 3)');
      }
      for (const epoch of [0, 1]) {
        const all = perRank.flatMap((epochs) => epochs[epoch]);
        expect(new Set(all).size).toBe(all.length); // disjoint
        expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: rows }, (_, i) => i)); // complete
        for (const epochs of perRank) expect(epochs[epoch].length).toBeGreaterThan(0);
      }
    }
  } finally {
    temp.cleanup();
  }
});
