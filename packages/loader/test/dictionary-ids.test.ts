/**
 * Dictionary-coded id columns (as the JavaScript Parquet reader hands them over) against their
 * plain twin, the same ids written out: the same batches for every transform chain, dedup on and
 * off, in order and shuffled, also when the dictionary holds an id twice (then runs are found on
 * the ids, not the codes).
 */
import fc from 'fast-check';
import type { SampleChunk } from '@recd/datagen';
import { Transform, datasetFromChunks } from '@recd/loader';
import { DecodedChunk, DictionaryColumn, materializeColumn } from '../src/dictionary-ids';
import { collect, schema, sessionKjt } from './helpers';

/** A chunk of the helpers' schema whose `user` and `history` (session-constant) and `prefix` are coded. */
function codedChunk(dictionary: bigint[], sessions: { user: number; history: number[]; prefix: number[][] }[]): DecodedChunk {
  const rows = sessions.reduce((sum, session) => sum + session.prefix.length, 0);
  const coded = (name: string, list: boolean, rowsOf: (push: (codes: number[]) => void) => void): DictionaryColumn => {
    const codes: number[] = [];
    const offsets = [0];
    rowsOf((row) => {
      codes.push(...row);
      offsets.push(codes.length);
    });
    return { name, type: list ? 'list<int64>' : 'int64', offsets: list ? Int32Array.from(offsets) : undefined, codes: Int32Array.from(codes), dictionary: BigInt64Array.from(dictionary) };
  };
  const each = (pick: (session: (typeof sessions)[number], sample: number) => number[]) => (push: (codes: number[]) => void) =>
    sessions.forEach((session) => session.prefix.forEach((_, sample) => push(pick(session, sample))));
  return {
    length: rows,
    columns: [
      { name: 'label', type: 'float32', values: Float32Array.from({ length: rows }, (_, i) => i % 2) },
      { name: 'item', type: 'int64', values: BigInt64Array.from({ length: rows }, (_, i) => BigInt(i)) },
      { name: 'price', type: 'float32', values: Float32Array.from({ length: rows }, (_, i) => i / 3) },
      { name: 'age', type: 'float32', values: new Float32Array(rows) },
      coded('prefix', true, each((session, sample) => session.prefix[sample])),
      coded('user', false, each((session) => [session.user])),
      coded('history', true, each((session) => session.history)),
    ],
  };
}

function plainChunk(chunk: DecodedChunk): SampleChunk {
  return { length: chunk.length, columns: chunk.columns.map(materializeColumn) };
}

async function batchesOf(chunks: SampleChunk[], options: Parameters<typeof datasetFromChunks>[2]): Promise<unknown[]> {
  const list = (array: ArrayLike<unknown>): unknown[] => Array.from(array);
  const batches = await collect(datasetFromChunks(chunks, schema, { batchSize: 7, ...options }));
  return batches.map((batch) => ({
    sparse: batch.sparse.keys.map((key) => [list(batch.sparse.get(key).offsets), list(batch.sparse.get(key).values)]),
    session: sessionKjt(batch).keys.map((key) => [list(sessionKjt(batch).get(key).offsets), list(sessionKjt(batch).get(key).values)]),
    unique: 'inverse' in batch.sessionSparse ? list((batch.sessionSparse as { inverse: Int32Array }).inverse) : undefined,
  }));
}

const chains: Record<string, Transform[]>[] = [
  {},
  { history: [{ kind: 'hash', tableSize: 97, seed: 5 }], prefix: [{ kind: 'truncate', maxLength: 2, keep: 'first' }, { kind: 'modulo', tableSize: 1000 }] },
  { history: [{ kind: 'pad', length: 4, value: 3 }, { kind: 'modulo', tableSize: 11 }], user: [{ kind: 'modulo', tableSize: 2 }] },
];

test('property: coded columns give the same batches as the ids written out, for every chain, dedup on and off, shuffled or not', async () => {
  // small ids repeat in a dictionary (an id twice); large ones cover the full int64 range
  const id = fc.oneof(fc.bigInt({ min: -2n, max: 2n }), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }));
  await fc.assert(
    fc.asyncProperty(
      fc.array(id, { minLength: 1, maxLength: 6 }).chain((dictionary) => {
        const code = fc.integer({ min: 0, max: dictionary.length - 1 });
        const session = fc.record({ user: code, history: fc.array(code, { maxLength: 5 }), prefix: fc.array(fc.array(code, { maxLength: 3 }), { minLength: 1, maxLength: 4 }) });
        return fc.tuple(fc.constant(dictionary), fc.array(session, { minLength: 1, maxLength: 8 }));
      }),
      fc.constantFrom(...chains),
      fc.boolean(),
      fc.boolean(),
      async ([dictionary, sessions], transforms, dedup, shuffled) => {
        const coded = codedChunk(dictionary, sessions);
        const options = { transforms, dedup, shuffle: shuffled ? { seed: 2, window: 5 } : undefined };
        expect(await batchesOf([coded as unknown as SampleChunk], options)).toEqual(await batchesOf([plainChunk(coded)], options));
      },
    ),
    { numRuns: 150 },
  );
});

test('a dictionary with an id twice: rows equal by id but not by code are one run (the shuffle moves them together)', async () => {
  // sessions alternate codes 0 and 1 for the same ids: by value every row is equal, one run
  const sessions = Array.from({ length: 12 }, (_, s) => ({ user: s % 2, history: [s % 2, s % 2], prefix: [[2], [2], [2]] }));
  const coded = codedChunk([5n, 5n, 9n], sessions);
  for (const seed of [1, 2, 3]) {
    const options = { shuffle: { seed, window: 4 } };
    expect(await batchesOf([coded as unknown as SampleChunk], options)).toEqual(await batchesOf([plainChunk(coded)], options));
  }
});

test('a group of plain and coded keys: rows that only codes mark are checked by id, rows that plain ids mark stay boundaries', async () => {
  // user alternates codes 0 and 1 of the same id; history (written out, plain) changes every 3 sessions
  const sessions = Array.from({ length: 12 }, (_, s) => ({ user: s % 2, history: [Math.floor(s / 3) % 2 === 0 ? 0 : 2], prefix: [[2], [2]] }));
  const coded = codedChunk([5n, 5n, 9n], sessions);
  const mixed: DecodedChunk = { length: coded.length, columns: coded.columns.map((column) => (column.name === 'history' ? materializeColumn(column) : column)) };
  for (const seed of [1, 2, 3]) {
    const options = { shuffle: { seed, window: 2 } };
    expect(await batchesOf([mixed as unknown as SampleChunk], options)).toEqual(await batchesOf([plainChunk(coded)], options));
  }
});
