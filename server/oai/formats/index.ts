/** The metadata formats: oai_dc (required), dcat_ap (RDF/XML dcat:Dataset) and our native JSON-in-XML. */
import { ANONYMOUS } from '../../auth/actor.js';
import { toCollection } from '../../catalogue/collections.js';
import type { CollectionRow } from '../../catalogue/queries.js';
import { addDataset, Graph } from '../../dcat/dataset.js';
import { RdfXmlWriter } from '../../dcat/rdfxml.js';
import type { PayloadContext } from '../payload-context.js';
import type { RecordRow } from '../queries.js';
import type { Repository } from '../records.js';
import { el, node } from '../xml.js';
import { OAI_DC, oaiDcPayload } from './oai-dc.js';

export interface MetadataFormat {
  prefix: string;
  namespace: string;
  schema(repo: Repository): string;
  render(row: RecordRow, ctx: PayloadContext): string;
}

export const NATIVE_NS = 'urn:x-dicom-miabis:oai:collection:1.0';
export const SCHEMA_FILES = { 'rdf.xsd': 'rdf.xsd', 'collection-1.0.xsd': 'collection-1.0.xsd' } as const;

export const FORMATS: MetadataFormat[] = [
  { prefix: OAI_DC.prefix, namespace: OAI_DC.namespace, schema: () => OAI_DC.schema, render: oaiDcPayload },
  {
    prefix: 'dcat_ap',
    namespace: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
    // RDF/XML has no official XSD: we publish a permissive one for XSD-validating harvesters.
    schema: (repo) => `${repo.origin}/oai/schema/rdf.xsd`,
    // No xsi:schemaLocation on rdf:RDF: strict RDF/XML parsers reject extra attributes there (ADR 0008).
    render: (row, ctx) => {
      const g = new Graph();
      addDataset(g, row, ctx);
      return new RdfXmlWriter().document(g.quads);
    },
  },
  {
    prefix: 'dicom_miabis',
    namespace: NATIVE_NS,
    schema: (repo) => `${repo.origin}/oai/schema/collection-1.0.xsd`,
    render: (row, ctx) => {
      // `>` escaped inside JSON strings too, so the text never holds "]]>" and reads the same as JSON.
      // The harvested record as the API shows it to anonymous readers, without the per-caller `actions`.
      const { actions: _actions, ...record } = toCollection(row as unknown as CollectionRow, ANONYMOUS);
      const json = JSON.stringify(record).replace(/>/g, '\\u003e');
      return node('dm:collection', el('dm:json', json, { schema: `${ctx.repo.origin}/api/v1/schema/collection.json` }), {
        'xmlns:dm': NATIVE_NS,
        'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
        'xsi:schemaLocation': `${NATIVE_NS} ${ctx.repo.origin}/oai/schema/collection-1.0.xsd`,
        id: row.id,
        revision: String(row.revision),
      });
    },
  },
];

export const formatOf = (prefix: string) => FORMATS.find((f) => f.prefix === prefix);
