/** Descriptions are rendered by markdown-it with raw HTML off and links limited to safe schemes. */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../web/src/lib/markdown.js';

describe('description markdown', () => {
  it('renders the Markdown real descriptions use (IDC: links, lists, emphasis)', () => {
    const html = renderMarkdown('The [Cancer Imaging Program (CIP)](http://imaging.cancer.gov/) works with **TCGA**.\n\n- CT\n- MR');
    expect(html).toContain('<a href="http://imaging.cancer.gov/" rel="nofollow noopener noreferrer">Cancer Imaging Program (CIP)</a>');
    expect(html).toContain('<strong>TCGA</strong>');
    expect(html).toContain('<ul>\n<li>CT</li>');
  });

  it('never lets raw HTML or unsafe link schemes through', () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) [d](data:text/html,hi)');
    expect(html).not.toMatch(/<script|<img|href="javascript|href="data/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('links bare URLs and e-mail links, and keeps headings small', () => {
    const html = renderMarkdown('# Summary\nSee https://doi.org/10.7937/K9 or [mail](mailto:help@x.org)');
    expect(html).toContain('<p class="md-h">Summary</p>');
    expect(html).toContain('href="https://doi.org/10.7937/K9"');
    expect(html).toContain('href="mailto:help@x.org"');
    expect(html).not.toContain('<h1');
  });

  it('shows images as links, not embedded third-party content', () => {
    const html = renderMarkdown('![scan](https://example.org/a.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('<a href="https://example.org/a.png"');
  });
});
