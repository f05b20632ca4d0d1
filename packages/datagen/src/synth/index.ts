export { synthesizeLog, SYNTH_COLUMNS } from './synthesize';
export type { SynthSummary, ChunkWriter } from './synthesize';
export { writeSyntheticLog } from './write-file';
export { DEFAULT_SYNTH_OPTIONS, EVENTS_PER_USER, resolveSynthOptions } from './options';
export type { SynthOptions, ResolvedSynthOptions } from './options';
