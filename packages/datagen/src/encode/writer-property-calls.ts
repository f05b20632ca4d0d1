import type { WriterProperties, WriterPropertiesBuilder } from 'parquet-wasm/node';
import type { PropertyCall } from './row-group-worker';

/**
 * The WriterPropertiesBuilder calls a properties function makes, recorded so a worker thread can
 * replay them on its own parquet-wasm instance (wasm objects cannot cross threads). The function
 * gets a recorder in place of a fresh builder; its `build()` returns the calls.
 */
export function recordWriterProperties(make: (start: WriterPropertiesBuilder) => WriterProperties): PropertyCall[] {
  const calls: PropertyCall[] = [];
  const recorder: object = new Proxy(
    {},
    {
      get: (_target, method) => {
        if (method === 'build') return () => calls;
        return (...args: unknown[]) => {
          calls.push([String(method), args]);
          return recorder;
        };
      },
    },
  );
  return make(recorder as WriterPropertiesBuilder) as unknown as PropertyCall[];
}
