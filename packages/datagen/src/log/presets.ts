import { SchemaError } from '@recd/core';
import type { LogSchema } from './log-schema';

/**
 * Column mappings for public interaction logs, and for what `recd synth` writes.
 *
 * | preset | file | sessions | label |
 * |---|---|---|---|
 * | `diginetica` | `sessionId;userId;itemId;timeframe;eventdate` (views; also the SR-GNN spelling `session_id;...`) | column | next item vs sampled negatives |
 * | `yoochoose` | raw `yoochoose-clicks.dat`: `session,timestamp,item,category`, no header | column | next item vs sampled negatives |
 * | `yoochoose-prepared` | tab-separated `SessionId ItemId Time` (epoch seconds), with header | column | next item vs sampled negatives |
 * | `movielens` | `userId,movieId,rating,timestamp` | user + 30 min gap | rating >= 4 |
 * | `retailrocket` | `timestamp,visitorid,event,itemid,transactionid` | visitor + 30 min gap | addtocart or transaction |
 * | `synthetic` | `session_id,user_id,item_id,category_id,timestamp,event` | column | click or buy |
 */
export const PRESETS: Record<string, LogSchema> = {
  diginetica: {
    name: 'diginetica',
    csv: { delimiter: ';' },
    aliases: { session_id: 'sessionId', user_id: 'userId', item_id: 'itemId' },
    session: 'sessionId',
    user: 'userId',
    item: 'itemId',
    time: { column: 'timeframe', unit: 'offset-ms', dateColumn: 'eventdate' },
    label: { kind: 'next-item', negatives: 4 },
  },
  yoochoose: {
    name: 'yoochoose',
    csv: { delimiter: ',', header: false, columns: ['session', 'timestamp', 'item', 'category'] },
    session: 'session',
    item: 'item',
    time: { column: 'timestamp', unit: 'iso' },
    category: 'category',
    label: { kind: 'next-item', negatives: 4 },
  },
  'yoochoose-prepared': {
    name: 'yoochoose-prepared',
    csv: { delimiter: '\t' },
    session: 'SessionId',
    item: 'ItemId',
    time: { column: 'Time', unit: 'epoch-s' },
    label: { kind: 'next-item', negatives: 4 },
  },
  movielens: {
    name: 'movielens',
    csv: { delimiter: ',' },
    user: 'userId',
    item: 'movieId',
    time: { column: 'timestamp', unit: 'epoch-s' },
    rating: 'rating',
    label: { kind: 'rating', threshold: 4 },
    sessionGapMinutes: 30,
  },
  retailrocket: {
    name: 'retailrocket',
    csv: { delimiter: ',' },
    user: 'visitorid',
    item: 'itemid',
    time: { column: 'timestamp', unit: 'epoch-ms' },
    event: { column: 'event', positive: ['addtocart', 'transaction'] },
    label: { kind: 'event' },
    sessionGapMinutes: 30,
  },
  synthetic: {
    name: 'synthetic',
    csv: { delimiter: ',' },
    session: 'session_id',
    user: 'user_id',
    item: 'item_id',
    time: { column: 'timestamp', unit: 'epoch-ms' },
    category: 'category_id',
    event: { column: 'event', positive: ['click', 'buy'] },
    label: { kind: 'event' },
  },
};

export function presetNames(): string[] {
  return Object.keys(PRESETS);
}

export function getPreset(name: string): LogSchema {
  const preset = PRESETS[name];
  if (!preset) throw new SchemaError(`unknown preset "${name}"; known presets: ${presetNames().join(', ')}`);
  return structuredClone(preset);
}
