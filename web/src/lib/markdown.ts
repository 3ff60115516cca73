/**
 * Collection descriptions rendered by markdown-it: CommonMark with raw HTML off, so the output can only
 * contain markdown-it's own tags; links are limited to http, https and mailto and open as external
 * (`rel="nofollow noopener noreferrer"`); bare URLs become links; headings inside a description are shown
 * as small headings (the page already has its own h1/h2 outline).
 */
import MarkdownIt from 'markdown-it';

const SAFE_LINK = /^(https?:|mailto:)/i;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });

// Only safe schemes survive as links (markdown-it already refuses javascript:, vbscript:, file: and data:).
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// A description's "# Heading" must not compete with the page's headings: render it as a small heading paragraph.
md.renderer.rules.heading_open = () => '<p class="md-h">';
md.renderer.rules.heading_close = () => '</p>\n';
// Images in descriptions would load third-party content: show the alt text as a link instead.
md.renderer.rules.image = (tokens, idx) => {
  const t = tokens[idx]!;
  const src = String(t.attrGet('src') ?? '');
  const alt = md.utils.escapeHtml(t.content || src);
  return SAFE_LINK.test(src) ? `<a href="${md.utils.escapeHtml(src)}" rel="nofollow noopener noreferrer">${alt}</a>` : alt;
};

export function renderMarkdown(source: string | undefined | null): string {
  if (!source) return '';
  return md.render(source.replace(/\u00a0/g, ' '));
}
