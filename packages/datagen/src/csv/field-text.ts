/** Field bytes to text: UTF-8, with doubled quotes collapsed only for fields that hold them. */

export function fieldText(bytes: Buffer, start: number, end: number, escaped: boolean, quote: number): string {
  const text = bytes.toString('utf8', start, end);
  if (!escaped) return text;
  const quoteChar = String.fromCharCode(quote);
  return text.replaceAll(quoteChar + quoteChar, quoteChar);
}

/** The name errors give a column: its header name, or `column N` (1-based) when it has none. */
export function columnName(columns: readonly string[] | undefined, index: number): string {
  return columns?.[index] ?? `column ${index + 1}`;
}
