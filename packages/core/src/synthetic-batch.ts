import { KeyedJaggedTensor } from './keyed-jagged-tensor';
import { Rng } from './rng';

export interface SessionBatchOptions {
  /** Samples in the batch (default 4096). */
  batchSize?: number;
  /** Samples per session; every session has exactly this many, the last one fewer (default 8). */
  samplesPerSession?: number;
  /** Session-constant single-id features (default 4: user id and three user attributes). */
  sessionIdFeatures?: number;
  /** Session-constant sequence features, e.g. user histories (default 2). */
  sessionSequenceFeatures?: number;
  /** Length of each session-constant sequence (default 50). */
  sequenceLength?: number;
  /** Per-sample single-id features, e.g. the item shown (default 2). */
  sampleIdFeatures?: number;
  seed?: number;
}

export interface SessionBatch {
  kjt: KeyedJaggedTensor;
  /** The keys constant within a session: the dedup group. */
  sessionKeys: string[];
  /** The keys that change from sample to sample. */
  sampleKeys: string[];
}

/**
 * A batch shaped like RecD's: consecutive samples come from one session and repeat its
 * session-constant features (user id, attributes, long histories) while per-sample features
 * change. Ids are random 64-bit values, negative ones included. For demos, benchmarks and tests.
 */
export function makeSessionBatch(options: SessionBatchOptions = {}): SessionBatch {
  const batchSize = options.batchSize ?? 4096;
  const perSession = Math.max(1, options.samplesPerSession ?? 8);
  const idFeatures = options.sessionIdFeatures ?? 4;
  const sequenceFeatures = options.sessionSequenceFeatures ?? 2;
  const sequenceLength = options.sequenceLength ?? 50;
  const sampleFeatures = options.sampleIdFeatures ?? 2;
  const rng = new Rng(options.seed ?? 1);

  const sessionKeys = [
    ...Array.from({ length: idFeatures }, (_, i) => (i === 0 ? 'user_id' : `user_attr_${i}`)),
    ...Array.from({ length: sequenceFeatures }, (_, i) => `user_history_${i}`),
  ];
  const sampleKeys = Array.from({ length: sampleFeatures }, (_, i) => (i === 0 ? 'item_id' : `item_attr_${i}`));
  const keys = [...sampleKeys, ...sessionKeys];
  const lengthOf = (k: number): number => (k >= sampleKeys.length + idFeatures ? sequenceLength : 1);

  let numValues = 0;
  for (let k = 0; k < keys.length; k++) numValues += lengthOf(k) * batchSize;
  const values = new BigInt64Array(numValues);
  const words = new Int32Array(values.buffer);
  const lengths = new Int32Array(keys.length * batchSize);
  let pos = 0;
  for (let k = 0; k < keys.length; k++) {
    const length = lengthOf(k);
    const perSample = k < sampleKeys.length;
    lengths.fill(length, k * batchSize, (k + 1) * batchSize);
    for (let row = 0; row < batchSize; row++) {
      const repeat = !perSample && row % perSession !== 0;
      for (let j = 0; j < length; j++, pos++) {
        if (repeat) {
          words[2 * pos] = words[2 * (pos - length)];
          words[2 * pos + 1] = words[2 * (pos - length) + 1];
        } else {
          words[2 * pos] = rng.nextUint32();
          words[2 * pos + 1] = rng.nextUint32();
        }
      }
    }
  }
  return { kjt: KeyedJaggedTensor.fromLengths({ keys, values, lengths }), sessionKeys, sampleKeys };
}
