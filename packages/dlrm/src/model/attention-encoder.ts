/**
 * Self-attention sequence encoder: one single-head attention layer over each sequence, then mean
 * pooling and a projection. For a sequence of ids i_1 .. i_L (the first `maxLength` kept), token
 * table E [n x d], learned positions P [maxLength x d], t = 1 .. L:
 *
 *     x_t = E[i_t mod n] + P[t]
 *     q_t = Wq x_t + bq,   k_t = Wk x_t + bk,   v_t = Wv x_t + bv         (Wq, Wk, Wv are [d x d])
 *     o_t = sum_s softmax_s(q_t . k_s / sqrt(d)) v_s                      (s over the L real tokens)
 *     h_t = x_t + o_t                                                     (residual)
 *     y   = Wo (1/L sum_t h_t) + bo                                       (Wo is [out x d])
 *
 * An empty sequence pools to the zero vector (y = bo). Attention runs on the sequence's own
 * tokens, which equals a padded batch with a length mask. Backward runs the same steps in
 * reverse (see attention.ts for the attention step); the token table's gradient is sparse.
 */
import type { JaggedTensor, Rng } from '@recd/core';
import { Parameter, parameter } from '../parameter';
import { attentionBackward, attentionForward } from './attention';
import { Float32Buffer, Int32Buffer } from './buffers';
import { EmbeddingTable } from './embedding-table';
import type { FeatureEncoder } from './feature-encoder';
import { idsToRows } from './id-rows';
import { fillUniform } from './init';
import { Linear } from './linear';

export interface AttentionEncoderOptions {
  tableSize: number;
  /** Token and attention dimension d. */
  dim: number;
  maxLength: number;
  /** Output size (default d). */
  outFeatures?: number;
}

export class AttentionEncoder implements FeatureEncoder {
  readonly outFeatures: number;
  readonly dim: number;
  readonly maxLength: number;
  readonly table: EmbeddingTable;
  readonly position: Parameter;
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly projection: Linear;
  /** Per sequence: first token, first attention probability (prefix sums of L and L^2). */
  readonly #tokenStart = new Int32Buffer();
  readonly #probStart = new Int32Buffer();
  readonly #idRows = new Int32Buffer();
  readonly #tokenRows = new Int32Buffer();
  readonly #x = new Float32Buffer();
  readonly #h = new Float32Buffer();
  readonly #pooled = new Float32Buffer();
  readonly #probs = new Float32Buffer();
  readonly #gradH = new Float32Buffer();
  readonly #gradQ = new Float32Buffer();
  readonly #gradK = new Float32Buffer();
  readonly #gradV = new Float32Buffer();
  readonly #gradScores = new Float32Buffer();
  #q: Float32Array = new Float32Array(0);
  #k: Float32Array = new Float32Array(0);
  #v: Float32Array = new Float32Array(0);
  #sequences = 0;
  #tokens = 0;

  /** Parameters are named `name.table`, `name.position`, `name.query.weight`, ..., `name.projection.bias`. */
  constructor(name: string, options: AttentionEncoderOptions, rng: Rng) {
    const d = options.dim;
    this.dim = d;
    this.maxLength = options.maxLength;
    this.outFeatures = options.outFeatures ?? d;
    this.table = new EmbeddingTable(`${name}.table`, options.tableSize, d, rng);
    this.position = parameter(`${name}.position`, [options.maxLength, d]);
    // same scale as the token embeddings, so positions do not drown the tokens at the start
    fillUniform(this.position.value, rng, Math.sqrt(1 / options.tableSize));
    this.query = new Linear(`${name}.query`, d, d, rng);
    this.key = new Linear(`${name}.key`, d, d, rng);
    this.value = new Linear(`${name}.value`, d, d, rng);
    this.projection = new Linear(`${name}.projection`, d, this.outFeatures, rng);
  }

  forward(ids: JaggedTensor): Float32Array {
    const d = this.dim;
    const sequences = ids.rows;
    const offsets = ids.offsets;
    const tokenStart = this.#tokenStart.view(sequences + 1);
    const probStart = this.#probStart.view(sequences + 1);
    tokenStart[0] = 0;
    probStart[0] = 0;
    for (let s = 0; s < sequences; s++) {
      const length = Math.min(offsets[s + 1] - offsets[s], this.maxLength);
      tokenStart[s + 1] = tokenStart[s] + length;
      probStart[s + 1] = probStart[s] + length * length;
    }
    const tokens = tokenStart[sequences];
    this.#sequences = sequences;
    this.#tokens = tokens;

    const x = this.#embedTokens(ids, tokenStart);
    const q = (this.#q = this.query.forward(x, tokens));
    const k = (this.#k = this.key.forward(x, tokens));
    const v = (this.#v = this.value.forward(x, tokens));
    const h = this.#h.view(tokens * d);
    const probs = this.#probs.view(probStart[sequences]);
    for (let s = 0; s < sequences; s++) {
      const length = tokenStart[s + 1] - tokenStart[s];
      if (length === 0) continue;
      const from = tokenStart[s] * d;
      const to = tokenStart[s + 1] * d;
      attentionForward(length, d, q.subarray(from, to), k.subarray(from, to), v.subarray(from, to), probs.subarray(probStart[s], probStart[s + 1]), h.subarray(from, to));
    }
    for (let i = 0; i < tokens * d; i++) h[i] += x[i];

    const pooled = this.#pooled.zeroed(sequences * d);
    for (let s = 0; s < sequences; s++) {
      const length = tokenStart[s + 1] - tokenStart[s];
      if (length === 0) continue;
      const inverse = 1 / length;
      for (let t = tokenStart[s]; t < tokenStart[s + 1]; t++) {
        for (let j = 0; j < d; j++) pooled[s * d + j] += h[t * d + j];
      }
      for (let j = 0; j < d; j++) pooled[s * d + j] *= inverse;
    }
    return this.projection.forward(pooled, sequences);
  }

  backward(gradOutput: Float32Array): void {
    const d = this.dim;
    const sequences = this.#sequences;
    const tokens = this.#tokens;
    const tokenStart = this.#tokenStart.view(sequences + 1);
    const probStart = this.#probStart.view(sequences + 1);
    const gradPooled = this.projection.backward(gradOutput);

    // mean pooling spreads each sequence's gradient evenly over its tokens
    const gradH = this.#gradH.view(tokens * d);
    for (let s = 0; s < sequences; s++) {
      const length = tokenStart[s + 1] - tokenStart[s];
      const inverse = 1 / length;
      for (let t = tokenStart[s]; t < tokenStart[s + 1]; t++) {
        for (let j = 0; j < d; j++) gradH[t * d + j] = gradPooled[s * d + j] * inverse;
      }
    }

    const q = this.#q;
    const k = this.#k;
    const v = this.#v;
    const probs = this.#probs.view(probStart[sequences]);
    const gradQ = this.#gradQ.view(tokens * d);
    const gradK = this.#gradK.view(tokens * d);
    const gradV = this.#gradV.view(tokens * d);
    for (let s = 0; s < sequences; s++) {
      const length = tokenStart[s + 1] - tokenStart[s];
      if (length === 0) continue;
      const from = tokenStart[s] * d;
      const to = tokenStart[s + 1] * d;
      attentionBackward(
        length, d,
        q.subarray(from, to), k.subarray(from, to), v.subarray(from, to),
        probs.subarray(probStart[s], probStart[s + 1]),
        gradH.subarray(from, to),
        gradQ.subarray(from, to), gradK.subarray(from, to), gradV.subarray(from, to),
        this.#gradScores.view(length * length),
      );
    }

    // the residual passes gradH straight to x; the three projections add theirs
    const gradX = gradH;
    for (const [layer, grad] of [[this.query, gradQ], [this.key, gradK], [this.value, gradV]] as const) {
      const gradInput = layer.backward(grad);
      for (let i = 0; i < tokens * d; i++) gradX[i] += gradInput[i];
    }
    this.#backwardEmbeddings(gradX, tokenStart);
  }

  parameters(): Parameter[] {
    return [
      this.table.parameter,
      this.position,
      ...this.query.parameters(),
      ...this.key.parameters(),
      ...this.value.parameters(),
      ...this.projection.parameters(),
    ];
  }

  /** x_t = E[row of token t] + P[position of t], for the kept tokens of every sequence. */
  #embedTokens(ids: JaggedTensor, tokenStart: Int32Array): Float32Array {
    const d = this.dim;
    const offsets = ids.offsets;
    const idRows = this.#idRows.view(ids.values.length);
    idsToRows(ids.values, 0, ids.values.length, this.table.rows, idRows);
    const tokenRows = this.#tokenRows.view(this.#tokens);
    const x = this.#x.view(this.#tokens * d);
    const table = this.table.value;
    const position = this.position.value;
    for (let s = 0; s < this.#sequences; s++) {
      const first = tokenStart[s];
      for (let t = first; t < tokenStart[s + 1]; t++) {
        const row = idRows[offsets[s] + t - first];
        tokenRows[t] = row;
        const base = row * d;
        const pos = (t - first) * d;
        for (let j = 0; j < d; j++) x[t * d + j] = table[base + j] + position[pos + j];
      }
    }
    return x;
  }

  #backwardEmbeddings(gradX: Float32Array, tokenStart: Int32Array): void {
    const d = this.dim;
    const tokenRows = this.#tokenRows.view(this.#tokens);
    const positionGrad = this.position.grad;
    this.table.beginBackward();
    for (let s = 0; s < this.#sequences; s++) {
      const first = tokenStart[s];
      for (let t = first; t < tokenStart[s + 1]; t++) {
        this.table.addToRow(tokenRows[t], gradX, t * d, 1);
        const pos = (t - first) * d;
        for (let j = 0; j < d; j++) positionGrad[pos + j] += gradX[t * d + j];
      }
    }
  }
}
