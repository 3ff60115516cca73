/**
 * A tiny, safe Markdown subset for collection descriptions: paragraphs, line lists, headings (shown
 * as small headings), links (http, https, mailto only), **strong**, *emphasis*, `code`, bare URLs.
 * Everything is HTML-escaped first, so the output can only contain the tags made here.
 */

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const SAFE_URL = /^(https?:\/\/|mailto:)[^\s"'<>]+$/i;

function inline(escaped: string): string {
  const slots: string[] = [];
  const keep = (html: string) => `\u0000${slots.push(html) - 1}\u0000`;
  let s = escaped.replace(/`([^`]+)`/g, (_, code: string) => keep(`<code>${code}</code>`));
  // [text](url): the url was escaped too; un-escape &amp; for the check, keep it escaped in the href.
  s = s.replace(/\[([^\]]+)\]\(\s*([^)\s]+)\s*\)/g, (m, text: string, href: string) => {
    const raw = href.replace(/&amp;/g, '&');
    if (!SAFE_URL.test(raw)) return text;
    return keep(`<a href="${href}" rel="nofollow noopener noreferrer">${text}</a>`);
  });
  s = s.replace(/(^|[\s(])(https?:\/\/[^\s<)]+[^\s<).,;:!?])/g, (m, pre: string, url: string) =>
    `${pre}${keep(`<a href="${url}" rel="nofollow noopener noreferrer">${url}</a>`)}`,
  );
  s = s.replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, (_, a?: string, b?: string) => `<strong>${a ?? b}</strong>`);
  s = s.replace(/(^|[^*\w])\*([^*\s][^*]*?)\*(?!\w)/g, (_, pre: string, t: string) => `${pre}<em>${t}</em>`);
  s = s.replace(/(^|[^_\w])_([^_\s][^_]*?)_(?!\w)/g, (_, pre: string, t: string) => `${pre}<em>${t}</em>`);
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u0000(\d+)\u0000/g, (_, i: string) => slots[Number(i)] ?? '');
}

export function renderMarkdown(source: string | undefined | null): string {
  if (!source) return '';
  const text = source.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');
  const blocks = text.split(/\n{2,}/);
  const out: string[] = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(lines[0]!.trim());
    if (heading && lines.length === 1) {
      out.push(`<p class="md-h">${inline(escapeHtml(heading[2]!))}</p>`);
      continue;
    }
    if (lines.every((l) => /^\s*([-*+]|\d+[.)])\s+/.test(l))) {
      const ordered = /^\s*\d/.test(lines[0]!);
      const items = lines.map((l) => `<li>${inline(escapeHtml(l.replace(/^\s*([-*+]|\d+[.)])\s+/, '')))}</li>`);
      out.push(ordered ? `<ol>${items.join('')}</ol>` : `<ul>${items.join('')}</ul>`);
      continue;
    }
    out.push(`<p>${lines.map((l) => inline(escapeHtml(l.trim()))).join('<br>')}</p>`);
  }
  return out.join('\n');
}
