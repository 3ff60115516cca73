/**
 * OAI-PMH / DCAT test helpers: XSD validation with Debian's xmllint against the official schemas
 * (vendored in test/fixtures/oai-schemas, plus our native format's XSD), SHACL validation with
 * rdf-validate-shacl against the DCAT-AP 3.0.1 shapes (test/fixtures/dcat-ap), RDF parsing.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import rdf from '@zazuko/env-node';
import SHACLValidator from 'rdf-validate-shacl';
import type { Quad } from '@rdfjs/types';

const fixtures = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));
export const OAI_SCHEMA = fixtures('oai-schemas/oai-pmh-all.xsd');

/** Validate an XML document against the OAI-PMH schema set; returns xmllint's complaints ('' = valid). */
export function xsdProblems(xml: string): string {
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', OAI_SCHEMA, '-'], { input: xml, stdio: ['pipe', 'pipe', 'pipe'] });
    return '';
  } catch (e) {
    const err = e as { code?: string; stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error('xmllint is missing: apt-get install -y libxml2-utils');
    return String(err.stderr ?? e);
  }
}

export async function parseRdf(text: string, mediaType: string, baseIRI = 'http://example.org/'): Promise<Quad[]> {
  const parser = rdf.formats.parsers.get(mediaType);
  if (!parser) throw new Error(`no parser for ${mediaType}`);
  const quads: Quad[] = [];
  const stream = (parser.import as (s: Readable, o: unknown) => unknown)(Readable.from([text]), { baseIRI }) as AsyncIterable<Quad>;
  for await (const q of stream) quads.push(q);
  return quads;
}

/** N-Triples lines, sorted: equal arrays = the same graph (we use no blank nodes). */
export function canonical(quads: Quad[]): string[] {
  const term = (t: Quad['object']): string =>
    t.termType === 'NamedNode'
      ? `<${t.value}>`
      : t.termType === 'Literal'
        ? `${JSON.stringify(t.value)}${t.language ? `@${t.language}` : t.datatype.value === 'http://www.w3.org/2001/XMLSchema#string' ? '' : `^^<${t.datatype.value}>`}`
        : `_:${t.value}`;
  return [
    ...new Set(quads.map((q) => `${term(q.subject as Quad['object'])} ${term(q.predicate as Quad['object'])} ${term(q.object)} .`)),
  ].sort();
}

let shapes: Awaited<ReturnType<typeof loadShapes>> | undefined;
async function loadShapes() {
  const ds = rdf.dataset();
  for (const f of ['shapes.ttl', 'shapes_recommended.ttl', 'range.ttl']) {
    const s = await rdf.fromFile(fixtures(`dcat-ap/${f}`));
    for await (const q of s as unknown as AsyncIterable<Quad>) ds.add(q);
  }
  return ds;
}

/** SHACL results against DCAT-AP 3.0.1 (mandatory + recommended + range shapes). */
export async function shaclResults(quads: Quad[]) {
  shapes ??= await loadShapes();
  const data = rdf.dataset(quads);
  const validator = new SHACLValidator(shapes, { factory: rdf });
  const report = await validator.validate(data);
  return report.results.map((r) => ({
    severity: r.severity?.value.split('#')[1] ?? '?',
    path: r.path?.value,
    focus: r.focusNode?.value,
    message: r.message.map((m) => m.value).join(' '),
  }));
}
