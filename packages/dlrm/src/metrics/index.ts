export { logLoss, DEFAULT_PROBABILITY_EPS } from './log-loss';
export type { LogLossOptions } from './log-loss';
export { auc } from './auc';
export { binaryEntropy, normalizedEntropy, normalizedEntropyOf } from './normalized-entropy';
export { accuracy } from './accuracy';
export { MetricAccumulator } from './metric-accumulator';
export type { MetricReport, MetricAccumulatorOptions } from './metric-accumulator';
export { POSITIVE_LABEL_THRESHOLD } from './predictions';
export type { Numbers, PredictionKind } from './predictions';
