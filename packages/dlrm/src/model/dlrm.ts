/**
 * DLRM (Naumov et al. 2019) with RecD's deduplicated training path (Zhao et al. 2023). For a sample
 * with dense inputs x, sparse features s_1 .. s_S and sequence features q_1 .. q_Q:
 *
 *     z_0 = BottomMLP(x)                                   [d]
 *     z_f = EmbeddingBag_f(s_f)          f = 1 .. S        [d]   (sum or mean of table rows)
 *     z_f = Encoder_f(q_f)               f = S+1 .. S+Q    [d]   (self-attention or mean + MLP)
 *     r   = [ z_0,  z_a . z_b for 0 <= b < a <= S+Q ]            (dot interaction)
 *     p   = TopMLP(r)                                      logit
 *     loss = mean over the batch of BCE(sigmoid(p), y)
 *
 * When a feature arrives deduplicated (in an IKJT group), its encoder runs on the U unique rows and
 * z_f is expanded to the B samples by the group's inverse index; backward sums each unique row's
 * copies (scatter-add) before the encoder's backward. The result equals the expanded batch's up
 * to the order of float sums, at a fraction of the cost when U << B.
 */
import { Rng } from '@recd/core';
import type { Parameter } from '../parameter';
import { AttentionEncoder } from './attention-encoder';
import { checkBatchShape, locateFeature, type TrainingBatch } from './batch';
import { BceWithLogitsLoss } from './bce-loss';
import { type DlrmConfig, validateDlrmConfig } from './config';
import { DotInteraction } from './dot-interaction';
import { EmbeddingBag } from './embedding-bag';
import type { FeatureEncoder } from './feature-encoder';
import { FeatureStack } from './feature-stack';
import { MeanMlpEncoder } from './mean-mlp-encoder';
import { distinctBytes } from './distinct-bytes';
import { Mlp } from './mlp';

export interface BackwardOptions {
  /** Add to the gradients already held instead of replacing them (default false). */
  accumulate?: boolean;
}

export class Dlrm {
  readonly config: DlrmConfig;
  readonly bottom: Mlp;
  readonly top: Mlp;
  /** Sparse features then sequence features, in config order. */
  readonly featureNames: readonly string[];
  readonly encoders: readonly FeatureEncoder[];
  readonly #stack: FeatureStack;
  readonly #interaction: DotInteraction;
  readonly #loss = new BceWithLogitsLoss();
  readonly #parameters: Parameter[];
  #lastBatch: TrainingBatch | undefined;

  /** Validates `config` (DlrmConfigError) and initialises every parameter from `config.seed`. */
  constructor(config: DlrmConfig) {
    validateDlrmConfig(config);
    this.config = config;
    const d = config.embeddingDim;
    const rng = new Rng(config.seed ?? 0);
    this.bottom = new Mlp('bottom', config.dense, config.bottomMlp, rng);
    const encoders: FeatureEncoder[] = [];
    for (const feature of config.sparse) {
      encoders.push(new EmbeddingBag(`sparse.${feature.name}`, feature.tableSize, d, rng, { pooling: feature.pooling ?? 'sum' }));
    }
    for (const feature of config.sequence ?? []) {
      const name = `sequence.${feature.name}`;
      const options = { tableSize: feature.tableSize, dim: d, maxLength: feature.maxLength };
      encoders.push(
        (feature.encoder ?? 'attention') === 'attention'
          ? new AttentionEncoder(name, options, rng)
          : new MeanMlpEncoder(name, { ...options, mlp: feature.mlp }, rng),
      );
    }
    this.encoders = encoders;
    this.featureNames = [...config.sparse, ...(config.sequence ?? [])].map((feature) => feature.name);
    this.#stack = new FeatureStack(encoders.length, d);
    this.#interaction = new DotInteraction(encoders.length + 1, d);
    this.top = new Mlp('top', this.#interaction.outFeatures, config.topMlp, rng);
    this.#parameters = [this.bottom, ...encoders, this.top].flatMap((module) => module.parameters());
  }

  /** One logit per sample (a view of a reused buffer, valid until the next forward). */
  forward(batch: TrainingBatch): Float32Array {
    checkBatchShape(batch, this.config.dense);
    this.#lastBatch = batch;
    const size = batch.size;
    const bottom = this.bottom.forward(batch.dense, size);
    const outputs: Float32Array[] = [];
    const rows: number[] = [];
    const inverses: (Int32Array | undefined)[] = [];
    this.featureNames.forEach((name, f) => {
      const source = locateFeature(batch, name);
      outputs.push(this.encoders[f].forward(source.ids));
      rows.push(source.ids.rows);
      inverses.push(source.inverse);
    });
    const stacked = this.#stack.forward(bottom, outputs, rows, inverses, size);
    const interaction = this.#interaction.forward(stacked, size);
    return this.top.forward(interaction, size);
  }

  /** The mean binary cross-entropy of the batch (forward only, gradients untouched). */
  loss(batch: TrainingBatch): number {
    return this.#loss.forward(this.forward(batch), batch.labels, batch.size);
  }

  /**
   * Forward, loss, and backward: afterwards every parameter's `grad` holds the gradient of this
   * batch's mean loss (embedding tables: the rows listed in `sparse.touchedRows`). Returns the loss.
   */
  lossAndBackward(batch: TrainingBatch, options: BackwardOptions = {}): number {
    if (!options.accumulate) this.zeroGrad();
    const loss = this.loss(batch);
    const gradInteraction = this.top.backward(this.#loss.backward());
    const gradStacked = this.#interaction.backward(gradInteraction);
    const { gradBottom, gradFeatures } = this.#stack.backward(gradStacked);
    this.bottom.backward(gradBottom);
    this.encoders.forEach((encoder, f) => encoder.backward(gradFeatures[f]));
    return loss;
  }

  /**
   * Bytes of the activations the last forward keeps for backward: every layer's saved arrays
   * (encoders on the unique rows when deduplicated), each counted once, the batch's own arrays
   * (dense inputs, ids, labels) excluded. Dedup shrinks it by running encoders on fewer rows.
   */
  activationBytes(): number {
    return distinctBytes([
      ...this.bottom.savedForBackward(),
      ...this.encoders.flatMap((encoder) => encoder.savedForBackward()),
      ...this.#interaction.savedForBackward(),
      ...this.top.savedForBackward(),
      ...this.#loss.savedForBackward(),
    ], this.#lastBatch === undefined ? [] : [this.#lastBatch.dense.buffer, this.#lastBatch.labels.buffer]);
  }

  /** Every trainable tensor: bottom MLP, embedding tables and encoders, top MLP. */
  parameters(): Parameter[] {
    return this.#parameters;
  }

  /** Clears every gradient: dense ones to zero, sparse ones by forgetting their touched rows. */
  zeroGrad(): void {
    for (const param of this.#parameters) {
      if (param.sparse) param.sparse.touchedCount = 0;
      else param.grad.fill(0);
    }
  }
}
