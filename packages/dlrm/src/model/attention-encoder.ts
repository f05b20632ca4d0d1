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
 * tokens, which equals a padded batch with a length mask.
 *
 * How it is computed (attention-pooled.ts has the derivation): the mean of h needs only the
 * column sums of the attention probabilities, so neither O nor V is formed:
 *
 *     mean_t h_t = mean_t x_t + Wv (X^T w) + bv,        w = P^T 1 / L
 *
 * and the scores use one merged projection instead of two, Qt = X Wqk^T + bqk with Wqk = Wk^T Wq
 * and bqk = Wk^T bq ([d x d] products once per step): P = softmax_rows(Qt X^T / sqrt(d)) is the
 * same P (the terms dropped are constant along each row). Backward maps dWqk and dbqk back:
 * dWq += Wk dWqk, dWk += Wq dWqk^T + bq dbqk^T, dbq += Wk dbqk; bk gets no gradient (it has none).
 * Per token this is one d x d projection forward and two backward (instead of three and six),
 * and three L x d products per sequence (instead of six). The token table's gradient is sparse.
 */
import type { JaggedTensor, Rng } from '@recd/core';
import { Parameter, parameter } from '../parameter';
import { attentionPooledBackwardWasm, attentionPooledForwardWasm } from '../wasm/attention-wasm';
import { attentionPooledBackwardTs, attentionPooledForwardTs } from './attention-pooled';
import { type GemmBackend, gemmBackend } from './backend';
import { Int32Buffer } from './buffers';
import { EmbeddingTable } from './embedding-table';
import type { FeatureEncoder } from './feature-encoder';
import { gemm, matmul, matmulTransA, matmulTransB } from './gemm';
import { idsToRows } from './id-rows';
import { fillUniform } from './init';
import { Linear } from './linear';
import { addRowVector, columnSums } from './rows';
import { type FloatBuffer, type IntBuffer, floatBuffer, intBuffer } from './workspace';

export interface AttentionEncoderOptions {
  tableSize: number;
  /** Token and attention dimension d. */
  dim: number;
  maxLength: number;
  /** Output size (default d). */
  outFeatures?: number;
}

/** The arrays of one forward and backward, where the backend's kernels want them. */
class Workspace {
  readonly backend: GemmBackend;
  /** Per sequence: first token, first attention probability (prefix sums of L and L^2). */
  readonly tokenStart: IntBuffer;
  readonly probStart: IntBuffer;
  /** [tokens x d]: token inputs x, merged queries Qt, and their gradients. */
  readonly x: FloatBuffer;
  readonly queries: FloatBuffer;
  readonly gradX: FloatBuffer;
  readonly gradQueries: FloatBuffer;
  /** Softmax probabilities, L x L per sequence; w = column means, one per token. */
  readonly probs: FloatBuffer;
  readonly weights: FloatBuffer;
  /** [sequences x d]: X^T w, mean(X), the pooled vector, and gradients. */
  readonly attended: FloatBuffer;
  readonly mean: FloatBuffer;
  readonly pooled: FloatBuffer;
  readonly gradAttended: FloatBuffer;
  readonly gradMean: FloatBuffer;
  /** dS and u of one sequence in backward. */
  readonly scratch: FloatBuffer;

  constructor(backend: GemmBackend) {
    this.backend = backend;
    this.tokenStart = intBuffer(backend);
    this.probStart = intBuffer(backend);
    const floats = (): FloatBuffer => floatBuffer(backend);
    this.x = floats();
    this.queries = floats();
    this.gradX = floats();
    this.gradQueries = floats();
    this.probs = floats();
    this.weights = floats();
    this.attended = floats();
    this.mean = floats();
    this.pooled = floats();
    this.gradAttended = floats();
    this.gradMean = floats();
    this.scratch = floats();
  }
}

export class AttentionEncoder implements FeatureEncoder {
  readonly outFeatures: number;
  readonly dim: number;
  readonly maxLength: number;
  readonly table: EmbeddingTable;
  readonly position: Parameter;
  readonly query: Linear;
  readonly key: Linear;
  /** Its weight and bias are used as `Wv`, `bv` above; the layer itself never runs. */
  readonly value: Linear;
  readonly projection: Linear;
  readonly #idRows = new Int32Buffer();
  readonly #tokenRows = new Int32Buffer();
  /** Wqk = Wk^T Wq [d x d], bqk = Wk^T bq, and their gradients. */
  readonly #mergedWeight: Float32Array;
  readonly #mergedBias: Float32Array;
  readonly #gradMergedWeight: Float32Array;
  readonly #gradMergedBias: Float32Array;
  readonly #workspaces = new Map<GemmBackend, Workspace>();
  #active: Workspace | undefined;
  #sequences = 0;
  #tokens = 0;
  #maxTokens = 0;

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
    this.#mergedWeight = new Float32Array(d * d);
    this.#mergedBias = new Float32Array(d);
    this.#gradMergedWeight = new Float32Array(d * d);
    this.#gradMergedBias = new Float32Array(d);
  }

  forward(ids: JaggedTensor): Float32Array {
    const d = this.dim;
    const sequences = ids.rows;
    const offsets = ids.offsets;
    const work = this.#workspace(gemmBackend());
    this.#active = work;
    const tokenStart = work.tokenStart.view(sequences + 1);
    const probStart = work.probStart.view(sequences + 1);
    tokenStart[0] = 0;
    probStart[0] = 0;
    let maxTokens = 0;
    for (let s = 0; s < sequences; s++) {
      const length = Math.min(offsets[s + 1] - offsets[s], this.maxLength);
      tokenStart[s + 1] = tokenStart[s] + length;
      probStart[s + 1] = probStart[s] + length * length;
      if (length > maxTokens) maxTokens = length;
    }
    const tokens = tokenStart[sequences];
    this.#sequences = sequences;
    this.#tokens = tokens;
    this.#maxTokens = maxTokens;

    const x = this.#embedTokens(ids, tokenStart, work.x.view(tokens * d));
    this.#mergeQueryKey();
    const queries = work.queries.view(tokens * d);
    gemm(false, true, tokens, d, d, x, this.#mergedWeight, queries);
    addRowVector(queries, tokens, this.#mergedBias);
    const attended = work.attended.view(sequences * d);
    const mean = work.mean.view(sequences * d);
    const pooledAttention = work.backend === 'wasm' ? attentionPooledForwardWasm : attentionPooledForwardTs;
    pooledAttention(sequences, d, tokenStart, probStart, queries, x, work.probs.view(probStart[sequences]), work.weights.view(tokens), attended, mean);

    // pooled = mean(X) + Wv (X^T w) + bv, and zero for an empty sequence
    const pooled = work.pooled.view(sequences * d);
    matmulTransB(sequences, d, d, attended, this.value.weight.value, pooled);
    const valueBias = this.value.bias.value;
    for (let s = 0; s < sequences; s++) {
      const at = s * d;
      if (tokenStart[s + 1] === tokenStart[s]) pooled.fill(0, at, at + d);
      else for (let j = 0; j < d; j++) pooled[at + j] += mean[at + j] + valueBias[j];
    }
    return this.projection.forward(pooled, sequences);
  }

  backward(gradOutput: Float32Array): void {
    const work = this.#active;
    if (work === undefined) throw new Error('AttentionEncoder.backward called before forward');
    const d = this.dim;
    const sequences = this.#sequences;
    const tokens = this.#tokens;
    const tokenStart = work.tokenStart.view(sequences + 1);
    const probStart = work.probStart.view(sequences + 1);
    const gradPooled = work.gradMean.view(sequences * d);
    gradPooled.set(this.projection.backward(gradOutput).subarray(0, sequences * d));

    // pooled = mean(X) + Wv attended + bv
    const attended = work.attended.view(sequences * d);
    const value = this.value;
    matmulTransA(d, d, sequences, gradPooled, attended, value.weight.grad, true);
    const valueBiasGrad = value.bias.grad;
    for (let s = 0; s < sequences; s++) {
      if (tokenStart[s + 1] === tokenStart[s]) continue;
      for (let j = 0, at = s * d; j < d; j++) valueBiasGrad[j] += gradPooled[at + j];
    }
    const gradAttended = work.gradAttended.view(sequences * d);
    matmul(sequences, d, d, gradPooled, value.weight.value, gradAttended);

    const x = work.x.view(tokens * d);
    const queries = work.queries.view(tokens * d);
    const gradQueries = work.gradQueries.view(tokens * d);
    const gradX = work.gradX.view(tokens * d);
    const scratch = work.scratch.view(this.#maxTokens * (this.#maxTokens + 1));
    const pooledAttentionBackward = work.backend === 'wasm' ? attentionPooledBackwardWasm : attentionPooledBackwardTs;
    pooledAttentionBackward(
      sequences, d, tokenStart, probStart, queries, x,
      work.probs.view(probStart[sequences]), work.weights.view(tokens),
      gradAttended, gradPooled, gradQueries, gradX, scratch,
    );

    // Qt = X Wqk^T + bqk: the merged projection's gradients, then X's
    const gradMergedWeight = this.#gradMergedWeight;
    const gradMergedBias = this.#gradMergedBias;
    matmulTransA(d, d, tokens, gradQueries, x, gradMergedWeight);
    columnSums(gradQueries, tokens, d, gradMergedBias);
    matmul(tokens, d, d, gradQueries, this.#mergedWeight, gradX, true);
    this.#backwardMergedQueryKey();
    this.#backwardEmbeddings(gradX, tokenStart);
  }

  /**
   * Token rows, token inputs X, merged queries Qt, attention probabilities, their column means w,
   * X^T w, mean(X), and per-sequence offsets; the pooled vector is the projection's input (its own).
   */
  savedForBackward(): ArrayBufferView[] {
    const work = this.#active;
    if (work === undefined) return [];
    const d = this.dim;
    const sequences = this.#sequences;
    const tokens = this.#tokens;
    const probStart = work.probStart.view(sequences + 1);
    return [
      this.#tokenRows.view(tokens),
      work.tokenStart.view(sequences + 1),
      probStart,
      work.x.view(tokens * d),
      work.queries.view(tokens * d),
      work.probs.view(probStart[sequences]),
      work.weights.view(tokens),
      work.attended.view(sequences * d),
      work.mean.view(sequences * d),
      ...this.projection.savedForBackward(),
    ];
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

  #workspace(backend: GemmBackend): Workspace {
    let work = this.#workspaces.get(backend);
    if (work === undefined) this.#workspaces.set(backend, (work = new Workspace(backend)));
    return work;
  }

  /** Wqk = Wk^T Wq, bqk = Wk^T bq. */
  #mergeQueryKey(): void {
    const d = this.dim;
    const keyWeight = this.key.weight.value;
    matmulTransA(d, d, d, keyWeight, this.query.weight.value, this.#mergedWeight);
    matmulTransA(d, 1, d, keyWeight, this.query.bias.value, this.#mergedBias);
  }

  /** dWq += Wk dWqk, dWk += Wq dWqk^T + bq dbqk^T, dbq += Wk dbqk. */
  #backwardMergedQueryKey(): void {
    const d = this.dim;
    const query = this.query;
    const keyWeight = this.key.weight;
    const gradWeight = this.#gradMergedWeight;
    const gradBias = this.#gradMergedBias;
    matmul(d, d, d, keyWeight.value, gradWeight, query.weight.grad, true);
    matmulTransB(d, d, d, query.weight.value, gradWeight, keyWeight.grad, true);
    const queryBias = query.bias.value;
    for (let r = 0; r < d; r++) {
      for (let o = 0; o < d; o++) keyWeight.grad[r * d + o] += queryBias[r] * gradBias[o];
    }
    matmul(d, 1, d, keyWeight.value, gradBias, query.bias.grad, true);
  }

  /** x_t = E[row of token t] + P[position of t], for the kept tokens of every sequence. */
  #embedTokens(ids: JaggedTensor, tokenStart: Int32Array, x: Float32Array): Float32Array {
    const d = this.dim;
    const offsets = ids.offsets;
    const idRows = this.#idRows.view(ids.values.length);
    idsToRows(ids.values, 0, ids.values.length, this.table.rows, idRows);
    const tokenRows = this.#tokenRows.view(this.#tokens);
    const table = this.table.value;
    const position = this.position.value;
    for (let s = 0; s < this.#sequences; s++) {
      const first = tokenStart[s];
      const last = tokenStart[s + 1];
      const idAt = offsets[s] - first;
      for (let t = first, pos = 0; t < last; t++, pos += d) {
        const row = idRows[idAt + t];
        tokenRows[t] = row;
        const base = row * d;
        const at = t * d;
        for (let j = 0; j < d; j++) x[at + j] = table[base + j] + position[pos + j];
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
      const last = tokenStart[s + 1];
      for (let t = first, pos = 0; t < last; t++, pos += d) {
        this.table.addToRow(tokenRows[t], gradX, t * d, 1);
        const at = t * d;
        for (let j = 0; j < d; j++) positionGrad[pos + j] += gradX[at + j];
      }
    }
  }
}
