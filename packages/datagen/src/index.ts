export { readCsv, CsvReader } from './csv/reader';
export { CsvChunk } from './csv/chunk';
export type { CsvChunkInit } from './csv/chunk';
export type { CsvReadOptions } from './csv/options';
export type { CsvSource } from './csv/byte-source';
export type { RejectedRow } from './csv/rejected-row';
