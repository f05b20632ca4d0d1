/**
 * `synthesizeLog`: streams a seeded synthetic interaction log as CSV text to any writer, in chunks
 * of about `chunkBytes` characters, and returns what it wrote. Library code: no files, no printing;
 * `writeSyntheticLog` puts the stream in a file.
 */
import { Rng } from '@recd/core';
import { Catalog } from './catalog';
import { resolveSynthOptions, type SynthOptions } from './options';
import { SessionTimeline } from './timeline';
import { UserPopulation } from './users';

/** The fixed column order of the `synthetic` preset. */
export const SYNTH_COLUMNS = ['session_id', 'user_id', 'item_id', 'category_id', 'timestamp', 'event'] as const;

/** Receives the CSV text chunk by chunk, in order; a returned promise is awaited before the next chunk. */
export type ChunkWriter = (chunk: string) => void | Promise<void>;

export interface SynthSummary {
  /** Rows written (header excluded). */
  events: number;
  sessions: number;
  /** Users with at least one session. */
  users: number;
  /** Distinct items that appear in the log. */
  items: number;
  /** Rows with event `click`. */
  clicks: number;
  /** Rows with event `buy`. */
  buys: number;
  /** Epoch milliseconds of the first and the last row. */
  firstTimestamp: number;
  lastTimestamp: number;
  /** events / sessions. */
  meanSessionLength: number;
  /** Characters written, header included (the log is ASCII, so also its size in bytes). */
  bytes: number;
}

/**
 * Generates the log described by `options` and hands it to `write`. `onProgress` gets the rows
 * written so far after every chunk. The same options give byte-identical text.
 *
 * Rows are generated as they are written: memory depends on `concurrentSessions`, `users` and
 * `items`, not on `events`. Throws RangeError on bad options before writing anything.
 */
export async function synthesizeLog(
  options: SynthOptions,
  write: ChunkWriter,
  onProgress?: (eventsDone: number) => void,
): Promise<SynthSummary> {
  const resolved = resolveSynthOptions(options);
  const rng = new Rng(resolved.seed);
  // Independent streams: the catalog does not change when, say, only `events` does.
  const catalog = Catalog.generate(resolved, rng.fork(1));
  const users = UserPopulation.generate(resolved, catalog, rng.fork(2));
  const timeline = new SessionTimeline(resolved, catalog, users, rng.fork(3));

  let bytes = 0;
  let text = `${SYNTH_COLUMNS.join(',')}\n`;
  while (!timeline.done) {
    text += timeline.nextRows(resolved.chunkBytes - text.length);
    bytes += text.length;
    await write(text);
    text = '';
    onProgress?.(timeline.counts.events);
  }
  const counts = timeline.counts;
  return {
    events: counts.events,
    sessions: counts.sessions,
    users: counts.activeUsers,
    items: counts.itemsUsed,
    clicks: counts.clicks,
    buys: counts.buys,
    firstTimestamp: counts.firstTimestamp,
    lastTimestamp: counts.lastTimestamp,
    meanSessionLength: counts.events / counts.sessions,
    bytes,
  };
}
