/**
 * Mean-pooling sequence encoder: the mean of the sequence's token embeddings, then an MLP.
 * For ids i_1 .. i_L (the first `maxLength` kept), table E [n x d]:
 *
 *     y = MLP( (1/L) sum_t E[i_t mod n] )        (the mean is the zero vector when L = 0)
 *
 * Per-id weights are ignored: a sequence's positions all count the same.
 */
import type { JaggedTensor, Rng } from '@recd/core';
import type { Parameter } from '../parameter';
import { EmbeddingBag } from './embedding-bag';
import type { FeatureEncoder } from './feature-encoder';
import { Mlp } from './mlp';

export interface MeanMlpEncoderOptions {
  tableSize: number;
  /** Embedding dimension d. */
  dim: number;
  maxLength: number;
  /** MLP layer widths after the pooled d-vector (default [d, d]); the last is the output size. */
  mlp?: readonly number[];
}

export class MeanMlpEncoder implements FeatureEncoder {
  readonly outFeatures: number;
  readonly bag: EmbeddingBag;
  readonly mlp: Mlp;

  /** Parameters are named `name.table`, `name.mlp.0.weight`, ... */
  constructor(name: string, options: MeanMlpEncoderOptions, rng: Rng) {
    this.bag = new EmbeddingBag(`${name}.table`, options.tableSize, options.dim, rng, {
      pooling: 'mean',
      maxLength: options.maxLength,
      useWeights: false,
    });
    this.mlp = new Mlp(`${name}.mlp`, options.dim, options.mlp ?? [options.dim, options.dim], rng);
    this.outFeatures = this.mlp.outFeatures;
  }

  forward(ids: JaggedTensor): Float32Array {
    return this.mlp.forward(this.bag.forward(ids), ids.rows);
  }

  backward(gradOutput: Float32Array): void {
    this.bag.backward(this.mlp.backward(gradOutput));
  }

  parameters(): Parameter[] {
    return [...this.bag.parameters(), ...this.mlp.parameters()];
  }

  savedForBackward(): ArrayBufferView[] {
    return [...this.bag.savedForBackward(), ...this.mlp.savedForBackward()];
  }
}
