/**
 * A small XML writer: every text and attribute value goes through one escaper, so no response can be
 * malformed by data (quotes, ampersands, control characters). Output is a string built per record, so
 * memory stays bounded by the page, not the catalogue.
 */

// XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF even as character references.
const ILLEGAL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(s: string): string {
  return s.replace(ILLEGAL, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

export type Attrs = Record<string, string | undefined>;

function attrs(a?: Attrs): string {
  if (!a) return '';
  let out = '';
  for (const [k, v] of Object.entries(a)) if (v !== undefined) out += ` ${k}="${xmlAttr(v)}"`;
  return out;
}

/** `<name attrs>text</name>` with escaped text. */
export function el(name: string, text: string, a?: Attrs): string {
  return `<${name}${attrs(a)}>${xmlText(text)}</${name}>`;
}

/** `<name attrs>` + already-serialised children + `</name>`; self-closing when there are none. */
export function node(name: string, children: string | string[], a?: Attrs): string {
  const inner = Array.isArray(children) ? children.join('') : children;
  return inner ? `<${name}${attrs(a)}>${inner}</${name}>` : `<${name}${attrs(a)}/>`;
}

/** A start tag, for elements whose children are written piece by piece. */
export const open = (name: string, a?: Attrs) => `<${name}${attrs(a)}>`;
export const close = (name: string) => `</${name}>`;

export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
