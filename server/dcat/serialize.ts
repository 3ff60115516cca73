/**
 * One RDF graph in the three negotiated syntaxes, written chunk by chunk (a page of datasets at a
 * time) so the catalogue never sits in memory whole: Turtle with n3's Writer, JSON-LD with jsonld.js
 * (fromRDF + compact against our prefixes), RDF/XML with the writer in rdfxml.ts.
 */
import type { Quad } from '@rdfjs/types';
import jsonld from 'jsonld';
import { Writer } from 'n3';
import { RdfXmlWriter } from './rdfxml.js';
import { PREFIXES } from './vocab.js';

export const RDF_TYPES = {
  turtle: 'text/turtle',
  jsonld: 'application/ld+json',
  rdfxml: 'application/rdf+xml',
} as const;
export type RdfSyntax = keyof typeof RDF_TYPES;

const BY_FORMAT: Record<string, RdfSyntax> = {
  ttl: 'turtle',
  turtle: 'turtle',
  jsonld: 'jsonld',
  json: 'jsonld',
  rdf: 'rdfxml',
  xml: 'rdfxml',
  rdfxml: 'rdfxml',
};

/** `?format=` wins (links from web pages cannot set Accept); then Accept with q-values; Turtle by default. */
export function negotiate(accept: string | undefined, format: string | undefined): RdfSyntax | null {
  if (format) return BY_FORMAT[format.toLowerCase()] ?? null;
  if (!accept) return 'turtle';
  const ranges = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type!.trim().toLowerCase(), q: qParam ? Number(qParam.slice(2)) || 0 : 1, i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    const hit = (Object.entries(RDF_TYPES) as [RdfSyntax, string][]).find(([, t]) => t === r.type);
    if (hit) return hit[0];
    if (r.type === 'application/json') return 'jsonld';
    if (r.type === 'application/xml' || r.type === 'text/xml') return 'rdfxml';
    if (r.type === '*/*' || r.type === 'text/*' || r.type === 'text/html' || r.type === 'text/plain') return 'turtle';
  }
  return null;
}

const CONTEXT = Object.fromEntries(Object.entries(PREFIXES).filter(([p]) => p !== 'rdf'));

export interface ChunkWriter {
  head(): string;
  chunk(quads: Quad[]): Promise<string>;
  tail(): string;
}

export function chunkWriter(syntax: RdfSyntax): ChunkWriter {
  if (syntax === 'rdfxml') {
    const w = new RdfXmlWriter();
    return {
      head: () => `<?xml version="1.0" encoding="UTF-8"?>\n${w.open()}\n`,
      chunk: async (qs) => `${w.body(qs)}\n`,
      tail: () => `${w.close()}\n`,
    };
  }
  if (syntax === 'turtle') {
    let first = true;
    return {
      head: () => '',
      chunk: (qs) =>
        new Promise((resolve, reject) => {
          const w = new Writer({ prefixes: PREFIXES });
          w.addQuads(qs);
          w.end((err, out: string) => {
            if (err) return reject(err);
            // Prefixes once, at the top; later chunks only carry triples.
            const text = first ? out : out.replace(/^(@prefix [^\n]*\n)+\n?/, '');
            first = false;
            resolve(`${text}\n`);
          });
        }),
      tail: () => '',
    };
  }
  let n = 0;
  return {
    head: () => `{"@context":${JSON.stringify(CONTEXT)},"@graph":[\n`,
    chunk: async (qs) => {
      if (!qs.length) return '';
      const compacted = (await jsonld.compact(await jsonld.fromRDF(qs as never), CONTEXT)) as Record<string, unknown>;
      const { '@context': _ctx, '@graph': graph, ...single } = compacted;
      const nodes = (graph as unknown[] | undefined) ?? [single];
      return nodes.map((x) => `${n++ ? ',' : ''}${JSON.stringify(x)}\n`).join('');
    },
    tail: () => ']}\n',
  };
}
