/**
 * Pre-encoded pieces of a CSV row, so the hot loop copies bytes instead of printing numbers:
 * `item_id,category_id,` once per item, and `session_id,user_id,` once per session (per slot).
 */
import { encodeDecimal } from './ascii-rows';
import type { Catalog } from './catalog';

const COMMA = 44;
/** Two ids below 2^31 and their commas. */
const PREFIX_STRIDE = 22;

/** `item_id,category_id,` for every item: the item of rank i covers `bytes[offsets[i] .. offsets[i + 1]]`. */
export interface ItemPieces {
  bytes: Uint8Array;
  offsets: Int32Array;
}

export function encodeItemPieces(catalog: Catalog): ItemPieces {
  const offsets = new Int32Array(catalog.items + 1);
  const scratch = new Uint8Array(PREFIX_STRIDE);
  for (let i = 0; i < catalog.items; i++) {
    offsets[i + 1] = offsets[i] + encodePair(scratch, catalog.itemId[i], catalog.itemCategory[i] + 1);
  }
  const bytes = new Uint8Array(offsets[catalog.items]);
  for (let i = 0; i < catalog.items; i++) encodePair(bytes.subarray(offsets[i]), catalog.itemId[i], catalog.itemCategory[i] + 1);
  return { bytes, offsets };
}

/** `session_id,user_id,` of the session live in each slot. */
export class SessionPrefixes {
  readonly bytes: Uint8Array;
  readonly lengths: Uint8Array;

  constructor(slots: number) {
    this.bytes = new Uint8Array(slots * PREFIX_STRIDE);
    this.lengths = new Uint8Array(slots);
  }

  static readonly stride = PREFIX_STRIDE;

  set(slot: number, sessionId: number, userId: number): void {
    this.lengths[slot] = encodePair(this.bytes.subarray(slot * PREFIX_STRIDE), sessionId, userId);
  }
}

/** `first,second,` at the start of `into`; returns its length. */
function encodePair(into: Uint8Array, first: number, second: number): number {
  let at = encodeDecimal(into, 0, first);
  into[at++] = COMMA;
  at = encodeDecimal(into, at, second);
  into[at++] = COMMA;
  return at;
}
