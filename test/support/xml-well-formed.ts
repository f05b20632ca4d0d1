/**
 * A strict check that a string is well-formed XML (the subset an SVG writer produces): one root
 * element, matched and properly nested tags, quoted attributes without `<` or a bare `&`, no
 * duplicate attribute, text without `<` or a bare `&`, known entities only. Returns the problems
 * found (empty when well-formed) with their offsets, so a failing test says where.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const name = /^[A-Za-z_:][\w.:-]*/;
  const badText = (text: string, at: number): void => {
    if (text.includes('<')) problems.push(`raw '<' in text or attribute at ${at}`);
    for (const match of text.matchAll(/&([^;\s]*);?/g)) {
      if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(match[0])) problems.push(`bad entity ${JSON.stringify(match[0])} at ${at + (match.index ?? 0)}`);
    }
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end === -1) return ['unterminated XML declaration'];
    i = end + 2;
  }
  while (i < xml.length) {
    const open = xml.indexOf('<', i);
    const text = xml.slice(i, open === -1 ? xml.length : open);
    if (stack.length === 0 && text.trim() !== '') problems.push(`text outside the root element at ${i}`);
    badText(text, i);
    if (open === -1) break;
    if (xml.startsWith('<!--', open)) {
      const end = xml.indexOf('-->', open);
      if (end === -1) return [...problems, `unterminated comment at ${open}`];
      i = end + 3;
      continue;
    }
    const close = xml.indexOf('>', open);
    if (close === -1) return [...problems, `unterminated tag at ${open}`];
    const tag = xml.slice(open + 1, close);
    if (tag.startsWith('/')) {
      const closing = tag.slice(1).trim();
      const expected = stack.pop();
      if (closing !== expected) problems.push(`</${closing}> at ${open} closes <${expected ?? 'nothing'}>`);
    } else {
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const tagName = name.exec(body)?.[0];
      if (!tagName) {
        problems.push(`bad tag name at ${open}`);
      } else {
        let rest = body.slice(tagName.length);
        const seen = new Set<string>();
        while (rest.trim() !== '') {
          const attribute = /^\s+([A-Za-z_:][\w.:-]*)="([^"]*)"/.exec(rest);
          if (!attribute) {
            problems.push(`bad attribute syntax in <${tagName}> at ${open}: ${JSON.stringify(rest.slice(0, 40))}`);
            break;
          }
          if (seen.has(attribute[1])) problems.push(`duplicate attribute ${attribute[1]} in <${tagName}> at ${open}`);
          seen.add(attribute[1]);
          badText(attribute[2], open);
          rest = rest.slice(attribute[0].length);
        }
        if (stack.length === 0) roots++;
        if (!selfClosing) stack.push(tagName);
      }
    }
    i = close + 1;
  }
  if (stack.length > 0) problems.push(`unclosed elements: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`expected one root element, found ${roots}`);
  return problems;
}
