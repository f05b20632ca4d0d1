/**
 * Batches <-> Arrow IPC stream bytes: one schema message, then one RecordBatch message per
 * training batch. Readable by any Arrow implementation (`pyarrow.ipc.open_stream`).
 */
import { RecordBatchReader, RecordBatchStreamWriter, Schema } from 'apache-arrow';
import { SchemaError, excerpt } from './errors';
import { ArrowBatch, arrowBatchLayout, arrowSchemaFor } from './arrow-schema';
import { encodeBatchWithSchema } from './arrow-encode';
import { decodeBatchArrow } from './arrow-decode';

/**
 * An Arrow IPC stream holding the batches in order. All batches must have the same layout (keys,
 * groups, id type, weights, labels, dense width); their sizes may differ. The schema comes from the
 * first batch, so there must be at least one. Serializing copies the arrays once into the bytes.
 */
export function encodeBatchesIpc(batches: Iterable<ArrowBatch>): Uint8Array {
  const writer = new RecordBatchStreamWriter();
  let schema: Schema | undefined;
  let expected = '';
  let index = 0;
  for (const batch of batches) {
    const layout = arrowBatchLayout(batch);
    const text = JSON.stringify(layout);
    if (schema === undefined) {
      schema = arrowSchemaFor(layout);
      expected = text;
    } else if (text !== expected) {
      throw new SchemaError(`encodeBatchesIpc: batch ${index} has another layout than batch 0; expected ${excerpt(expected, 200)}, got ${excerpt(text, 200)}`);
    }
    writer.write(encodeBatchWithSchema(batch, layout, schema));
    index++;
  }
  if (schema === undefined) throw new SchemaError('encodeBatchesIpc: expected at least one batch (the stream schema comes from the first), got none');
  writer.finish();
  return writer.toUint8Array(true);
}

/**
 * The batches of an Arrow IPC stream written by `encodeBatchesIpc`, in order. Ids, weights,
 * labels, dense values and inverse indices are views of `bytes` (Arrow copies a message body only
 * when it does not start at a multiple of 8 bytes), so keep `bytes` unchanged while they are used.
 */
export function decodeBatchesIpc(bytes: Uint8Array): ArrowBatch[] {
  const reader = RecordBatchReader.from(bytes);
  const batches: ArrowBatch[] = [];
  for (const recordBatch of reader) batches.push(decodeBatchArrow(recordBatch, reader.schema));
  return batches;
}
