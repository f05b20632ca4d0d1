/** buildDictionary against a Map-based twin: values in order of first appearance, every index, and the size limit. */
import { buildDictionary } from '../src/encode/native/value-dictionary';
import { seeded } from './native-helpers';

/** The twin: a Map from the value's words to its index. */
function naiveDictionary(words: Int32Array, width: 1 | 2, from: number, to: number, maxSize: number): { words: number[]; indices: number[] } | undefined {
  const index = new Map<string, number>();
  const values: number[] = [];
  const indices: number[] = [];
  for (let i = from; i < to; i++) {
    const value = Array.from(words.subarray(i * width, (i + 1) * width));
    const key = value.join(',');
    let at = index.get(key);
    if (at === undefined) {
      if (index.size === maxSize) return undefined;
      at = index.size;
      index.set(key, at);
      values.push(...value);
    }
    indices.push(at);
  }
  return { words: values, indices };
}

test('buildDictionary equals the Map twin for few and many distinct values, runs, both widths and size limits', () => {
  for (let seed = 1; seed <= 80; seed++) {
    const random = seeded(seed);
    const width = (seed % 2 === 0 ? 2 : 1) as 1 | 2;
    const count = Math.floor(random() * 5000);
    const distinct = 1 + Math.floor(random() * [3, 40, 300, 3000, 100000][seed % 5]);
    const words = new Int32Array(count * width);
    for (let i = 0; i < count; i++) {
      // runs of a value, and values whose words differ in one word only
      const value = i > 0 && random() < 0.3 ? -1 : Math.floor(random() * distinct);
      for (let w = 0; w < width; w++) words[i * width + w] = value === -1 ? words[(i - 1) * width + w] : w === 0 ? value : value % 3;
    }
    const from = Math.floor(random() * Math.min(count, 50));
    const to = count - Math.floor(random() * Math.min(count - from, 50));
    for (const maxSize of [1, 7, 256, 257, 1000, 1 << 20]) {
      const got = buildDictionary(words, width, from, to, maxSize);
      const expected = naiveDictionary(words, width, from, to, maxSize);
      if (expected === undefined) {
        expect(got).toBeUndefined();
        continue;
      }
      expect(got).toBeDefined();
      expect(Array.from(got!.words)).toEqual(expected.words);
      expect(got!.size).toBe(expected.words.length / width);
      expect(Array.from(got!.indices)).toEqual(expected.indices);
    }
  }
});
