/**
 * RDF/XML from RDF/JS quads (n3 terms). No maintained npm package serialises RDF/XML from RDF/JS
 * (see docs/adr/0008-harvesting.md), so this writes the simplest correct form: one node element per
 * subject (typed when it has exactly one rdf:type), property elements with rdf:resource / rdf:nodeID /
 * literal text, every value through the XML escaper. Tests parse the output back with
 * rdfxml-streaming-parser and compare it triple for triple with the source graph.
 */
import type { Quad, Term } from '@rdfjs/types';
import { xmlAttr, xmlText } from '../oai/xml.js';
import { PREFIXES, RDF_TYPE, XSD_STRING } from './vocab.js';

const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Split an IRI into (namespace, local name) where the local name is an XML NCName. */
function split(iri: string): [string, string] | null {
  const i = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'));
  if (i < 0) return null;
  const local = iri.slice(i + 1);
  return NCNAME.test(local) ? [iri.slice(0, i + 1), local] : null;
}

export class RdfXmlWriter {
  private readonly byNs = new Map<string, string>();
  private extra = 0;

  constructor(prefixes: Record<string, string> = PREFIXES) {
    for (const [p, ns] of Object.entries(prefixes)) this.byNs.set(ns, p);
  }

  private qname(iri: string): string {
    const parts = split(iri);
    if (!parts) throw new Error(`cannot write ${iri} as an XML name`);
    let prefix = this.byNs.get(parts[0]);
    if (!prefix) {
      prefix = `ns${this.extra++}`;
      this.byNs.set(parts[0], prefix);
    }
    return `${prefix}:${parts[1]}`;
  }

  /** The `<rdf:RDF …>` start tag; call after `body` so namespaces met on the way are declared. */
  open(): string {
    const ns = [...this.byNs].map(([iri, p]) => ` xmlns:${p}="${xmlAttr(iri)}"`).join('');
    return `<rdf:RDF${ns}>`;
  }

  close(): string {
    return '</rdf:RDF>';
  }

  /** Node elements for these quads (default graph), grouped by subject in first-seen order. */
  body(quads: Iterable<Quad>): string {
    const subjects = new Map<string, { s: Term; qs: Quad[] }>();
    for (const q of quads) {
      const key = `${q.subject.termType}|${q.subject.value}`;
      let g = subjects.get(key);
      if (!g) subjects.set(key, (g = { s: q.subject, qs: [] }));
      g.qs.push(q);
    }
    let out = '';
    for (const { s, qs } of subjects.values()) {
      const types = qs.filter((q) => q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode');
      const typed = types.length === 1 && split(types[0]!.object.value) ? types[0]!.object.value : undefined;
      const tag = typed ? this.qname(typed) : 'rdf:Description';
      const about = s.termType === 'BlankNode' ? ` rdf:nodeID="${xmlAttr(s.value)}"` : ` rdf:about="${xmlAttr(s.value)}"`;
      out += `<${tag}${about}>`;
      for (const q of qs) {
        if (typed && q.predicate.value === RDF_TYPE && q.object.value === typed) continue;
        const p = this.qname(q.predicate.value);
        const o = q.object;
        if (o.termType === 'NamedNode') out += `<${p} rdf:resource="${xmlAttr(o.value)}"/>`;
        else if (o.termType === 'BlankNode') out += `<${p} rdf:nodeID="${xmlAttr(o.value)}"/>`;
        else if (o.termType === 'Literal') {
          const a = o.language
            ? ` xml:lang="${xmlAttr(o.language)}"`
            : o.datatype && o.datatype.value !== XSD_STRING
              ? ` rdf:datatype="${xmlAttr(o.datatype.value)}"`
              : '';
          out += `<${p}${a}>${xmlText(o.value)}</${p}>`;
        }
      }
      out += `</${tag}>`;
    }
    return out;
  }

  /** A whole document. */
  document(quads: Iterable<Quad>): string {
    const body = this.body(quads);
    return `${this.open()}${body}${this.close()}`;
  }
}
