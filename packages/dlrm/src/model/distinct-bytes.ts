/**
 * The bytes of a set of typed-array views, each region counted once: views of the same bytes (a
 * layer's output and the next layer's saved input) count once (views are the same region when
 * they share buffer, offset and length), and views into one of the `exclude` buffers (the batch's
 * own memory) not at all.
 */
export function distinctBytes(views: readonly ArrayBufferView[], exclude: readonly ArrayBufferLike[] = []): number {
  const excluded = new Set(exclude);
  const seen = new Map<ArrayBufferLike, Set<string>>();
  let bytes = 0;
  for (const view of views) {
    if (excluded.has(view.buffer)) continue;
    let regions = seen.get(view.buffer);
    if (regions === undefined) seen.set(view.buffer, (regions = new Set()));
    const region = `${view.byteOffset}:${view.byteLength}`;
    if (regions.has(region)) continue;
    regions.add(region);
    bytes += view.byteLength;
  }
  return bytes;
}
