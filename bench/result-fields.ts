/**
 * Reading the `data` of saved results without trusting their shape: results come from several
 * branches and versions of each benchmark, so a field may be missing or renamed. Every accessor
 * returns `undefined` rather than throwing, and the charts leave out what they cannot find.
 */

/** `value[key0][key1]...`, or undefined as soon as a step is not an object. */
export function field(value: unknown, ...keys: (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** A finite number, or undefined. */
export function numberField(value: unknown, ...keys: (string | number)[]): number | undefined {
  const found = field(value, ...keys);
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}

export function stringField(value: unknown, ...keys: (string | number)[]): string | undefined {
  const found = field(value, ...keys);
  return typeof found === 'string' ? found : undefined;
}

/** The objects of an array field (other entries dropped), or [] when it is not an array. */
export function objectsField(value: unknown, ...keys: (string | number)[]): Record<string, unknown>[] {
  const found = field(value, ...keys);
  if (!Array.isArray(found)) return [];
  return found.filter((entry): entry is Record<string, unknown> => entry !== null && typeof entry === 'object' && !Array.isArray(entry));
}

/** The median of the finite numbers of an array field (undefined when there are none). */
export function medianField(value: unknown, ...keys: (string | number)[]): number | undefined {
  const found = field(value, ...keys);
  if (!Array.isArray(found)) return undefined;
  const numbers = found.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (numbers.length === 0) return undefined;
  const mid = numbers.length >> 1;
  return numbers.length % 2 === 1 ? numbers[mid] : (numbers[mid - 1] + numbers[mid]) / 2;
}
