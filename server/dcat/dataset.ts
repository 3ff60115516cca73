/**
 * Collection → `dcat:Dataset` (DCAT-AP 3.0.1, HealthDCAT-AP properties where we hold the data;
 * datamodel §5.2) and the `dcat:Catalog` around it, as RDF/JS quads built with n3's DataFactory.
 * Every referenced resource carries its class, so the record also passes DCAT-AP's range shapes
 * without loading the EU vocabularies. IRIs instead of blank nodes keep records self-contained.
 */
import type { Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import type { CollectionFields } from '../../schemas/collection.js';
import { cancerSiteGroup } from '../../schemas/vocab/cancer-sites.js';
import { doiUrl } from '../oai/formats/oai-dc.js';
import type { PayloadContext } from '../oai/payload-context.js';
import type { RecordRow } from '../oai/queries.js';
import { datasetUrl, landingPage, type Repository } from '../oai/records.js';
import { addAgentDetails, addHealthProperties, addPeople } from './health.js';
import { ACCESS_RIGHT_LABELS, EU, iri, RDF_TYPE } from './vocab.js';

const { namedNode, literal, quad } = DataFactory;

export class Graph {
  readonly quads: Quad[] = [];
  // Shared nodes (theme, licence, legislation) are described once per graph.
  private seen = new Set<string>();
  private push(s: string, p: string, o: Quad['object'], key: string) {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.quads.push(quad(namedNode(s), namedNode(p), o));
  }
  /** s p <o> */
  link(s: string, p: string, o: string) {
    this.push(s, p, namedNode(o), `${s} ${p} <${o}>`);
  }
  /** s p "v"@lang / "v"^^datatype */
  text(s: string, p: string, v: string | number | undefined | null, langOrType?: string) {
    if (v === undefined || v === null || v === '') return;
    const o = langOrType?.includes(':') ? literal(String(v), namedNode(langOrType)) : literal(String(v), langOrType);
    this.push(s, p, o, `${s} ${p} "${String(v)}" ${langOrType ?? ''}`);
  }
  /** rdf:type */
  type(s: string, cls: string) {
    this.link(s, RDF_TYPE, cls);
  }
}

const xsd = (t: string) => iri('xsd', t);
const safeUrl = (u: string | undefined) => (u && /^https?:\/\/[^\s<>"{}|\\^`]+$/.test(u) ? u : undefined);
const frag = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

export function addDataset(g: Graph, row: RecordRow, ctx: PayloadContext): string {
  const d = row.doc as CollectionFields;
  const repo = ctx.repo;
  const ds = datasetUrl(repo, row.id);
  g.type(ds, iri('dcat', 'Dataset'));
  g.text(ds, iri('dct', 'identifier'), ds);
  g.text(ds, iri('dct', 'title'), row.title, 'en');
  g.text(ds, iri('dct', 'alternative'), d.acronym);
  g.text(ds, iri('dct', 'description'), d.description, 'en');
  const keywords = new Set([
    ...(d.keywords ?? []),
    ...((row.derived as { cancerSiteGroups?: string[] }).cancerSiteGroups ?? []).map((s) => cancerSiteGroup(s)?.label ?? s),
    ...(d.modalities ?? []).map((m) => m.label),
  ]);
  for (const k of keywords) g.text(ds, iri('dcat', 'keyword'), k, 'en');

  g.link(ds, iri('dcat', 'theme'), EU.themeHealth);
  addHealthTheme(g);

  const access = d.accessRights?.code && ACCESS_RIGHT_LABELS[d.accessRights.code] ? d.accessRights.code : undefined;
  if (access) {
    g.link(ds, iri('dct', 'accessRights'), EU.accessRight(access));
    g.type(EU.accessRight(access), iri('dct', 'RightsStatement'));
    g.text(EU.accessRight(access), iri('rdfs', 'label'), ACCESS_RIGHT_LABELS[access], 'en');
  }
  addLegislation(g, ds);

  const provider = ctx.providers.get(row.providerId);
  const agent = `${repo.origin}/api/v1/providers/${encodeURIComponent(row.providerId)}`;
  g.link(ds, iri('dct', 'publisher'), agent);
  g.type(agent, iri('foaf', 'Agent'));
  g.text(agent, iri('foaf', 'name'), provider?.name ?? row.providerId);
  const pdoc = (provider?.doc ?? {}) as {
    url?: string;
    contactEmail?: string;
    contactUrl?: string;
    description?: string;
    country?: string;
    city?: string;
  };
  if (safeUrl(pdoc.url)) {
    g.link(agent, iri('foaf', 'homepage'), pdoc.url!);
    g.type(pdoc.url!, iri('foaf', 'Document'));
  }
  addAgentDetails(g, agent, {
    name: provider?.name ?? row.providerId,
    email: pdoc.contactEmail,
    url: safeUrl(pdoc.contactUrl),
    description: pdoc.description,
    country: pdoc.country,
    city: pdoc.city,
  });

  let contacts = 0;
  for (const c of d.contacts ?? []) {
    const doc = ctx.contacts.get(c.contactId)?.doc as { firstName?: string; lastName?: string; email?: string } | undefined;
    if (!doc || c.role !== 'contact') continue;
    const node = `${ds}#contact-${frag(c.contactId)}`;
    g.link(ds, iri('dcat', 'contactPoint'), node);
    g.type(node, iri('vcard', 'Kind'));
    g.text(node, iri('vcard', 'fn'), [doc.firstName, doc.lastName].filter(Boolean).join(' '));
    if (doc.email) g.link(node, iri('vcard', 'hasEmail'), `mailto:${doc.email}`);
    contacts++;
  }
  if (!contacts && (pdoc.contactEmail || safeUrl(pdoc.contactUrl))) {
    const node = `${ds}#contact`;
    g.link(ds, iri('dcat', 'contactPoint'), node);
    g.type(node, iri('vcard', 'Kind'));
    g.text(node, iri('vcard', 'fn'), provider?.name ?? row.providerId);
    if (pdoc.contactEmail) g.link(node, iri('vcard', 'hasEmail'), `mailto:${pdoc.contactEmail}`);
    if (safeUrl(pdoc.contactUrl)) g.link(node, iri('vcard', 'hasURL'), pdoc.contactUrl!);
  }

  if (d.acquisitionPeriod?.start || d.acquisitionPeriod?.end) {
    const p = `${ds}#acquisition-period`;
    g.link(ds, iri('dct', 'temporal'), p);
    g.type(p, iri('dct', 'PeriodOfTime'));
    g.text(p, iri('dcat', 'startDate'), d.acquisitionPeriod.start, xsd('date'));
    g.text(p, iri('dcat', 'endDate'), d.acquisitionPeriod.end, xsd('date'));
  }
  if (row.publishedAt) g.text(ds, iri('dct', 'issued'), iso(row.publishedAt), xsd('dateTime'));
  g.text(ds, iri('dct', 'modified'), iso(row.modifiedAt), xsd('dateTime'));
  for (const landing of [landingPage(repo, row.id), safeUrl(d.landingPage)]) {
    if (!landing) continue;
    g.link(ds, iri('dcat', 'landingPage'), landing);
    g.type(landing, iri('foaf', 'Document'));
  }
  for (const u of d.documentation ?? []) {
    if (!safeUrl(u)) continue;
    g.link(ds, iri('foaf', 'page'), u);
    g.type(u, iri('foaf', 'Document'));
  }
  for (const p of d.publications ?? []) {
    const u = doiUrl(p.doi);
    if (safeUrl(u)) g.link(ds, iri('dct', 'isReferencedBy'), u!);
  }
  g.text(ds, iri('dcat', 'version'), d.version);
  g.text(ds, iri('adms', 'versionNotes'), d.versionNotes, 'en');

  const xnatId = `${ds}#xnat-project`;
  g.link(ds, iri('adms', 'identifier'), xnatId);
  g.type(xnatId, iri('adms', 'Identifier'));
  g.text(xnatId, iri('skos', 'notation'), d.xnat.projectId);
  g.text(xnatId, iri('adms', 'schemaAgency'), `XNAT ${d.xnat.instance}`);
  // The persistent identifier and the identifiers other catalogues gave the collection.
  const others = [...(d.pid ? [{ scheme: 'PID', value: d.pid, url: doiUrl(d.pid) }] : []), ...(d.otherIdentifiers ?? [])];
  others.forEach((o, i) => {
    const node = `${ds}#identifier-${i + 1}`;
    g.link(ds, iri('adms', 'identifier'), node);
    g.type(node, iri('adms', 'Identifier'));
    g.text(node, iri('skos', 'notation'), safeUrl(o.url) ?? o.value);
    g.text(node, iri('adms', 'schemaAgency'), o.scheme);
  });

  const xsdCount = xsd('nonNegativeInteger');
  g.text(ds, iri('healthdcatap', 'numberOfUniqueIndividuals'), d.subjectsCount, xsdCount);
  g.text(ds, iri('healthdcatap', 'numberOfRecords'), d.studiesCount, xsdCount);
  addHealthProperties(g, ds, d);
  addPeople(g, ds, d, ctx);

  const deid = d.deidentification;
  const provenance = [
    d.provenance,
    deid
      ? `De-identification: ${deid.patientIdentityRemoved ? 'patient identity removed' : 'identity not removed'}${deid.methodCodes?.length ? `; methods ${deid.methodCodes.map((m) => m.label).join(', ')}` : ''}${deid.dataProtectionStatus ? `; ${deid.dataProtectionStatus}` : ''}.`
      : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  if (provenance) {
    const p = `${ds}#provenance`;
    g.link(ds, iri('dct', 'provenance'), p);
    g.type(p, iri('dct', 'ProvenanceStatement'));
    g.text(p, iri('rdfs', 'label'), provenance, 'en');
  }

  // The XNAT project is where the images are: the dataset's distribution and access URL.
  const dist = `${ds}#xnat-distribution`;
  const access_ = `${d.xnat.instance.replace(/\/+$/, '')}/data/projects/${encodeURIComponent(d.xnat.projectId)}`;
  g.link(ds, iri('dcat', 'distribution'), dist);
  g.type(dist, iri('dcat', 'Distribution'));
  g.link(dist, iri('dcat', 'accessURL'), access_);
  if (safeUrl(d.accessUrl)) g.link(dist, iri('dcat', 'accessURL'), d.accessUrl!);
  g.text(dist, iri('dct', 'title'), `XNAT project ${d.xnat.projectId}`, 'en');
  g.text(
    dist,
    iri('dct', 'description'),
    `DICOM images in XNAT project ${d.xnat.projectId} at ${d.xnat.instance}${d.accessDescription ? `. ${d.accessDescription}` : ''}`,
    'en',
  );
  const dicom = 'http://www.iana.org/assignments/media-types/application/dicom';
  g.link(dist, iri('dct', 'format'), dicom);
  g.type(dicom, iri('dct', 'MediaTypeOrExtent'));
  g.link(dist, iri('dcat', 'mediaType'), dicom);
  g.type(dicom, iri('dct', 'MediaType'));
  g.text(dist, iri('dcat', 'byteSize'), d.sizeBytes, xsd('nonNegativeInteger'));
  g.link(dist, iri('dcatap', 'availability'), EU.availabilityStable);
  g.type(EU.availabilityStable, iri('skos', 'Concept'));
  g.text(EU.availabilityStable, iri('skos', 'prefLabel'), 'Stable', 'en');
  addLegislation(g, dist);
  const licence =
    safeUrl(d.license?.url) ?? (d.license?.spdxId ? `https://spdx.org/licenses/${encodeURIComponent(d.license.spdxId)}` : undefined);
  if (licence) {
    g.link(dist, iri('dct', 'license'), licence);
    g.type(licence, iri('dct', 'LicenseDocument'));
    g.text(licence, iri('dct', 'title'), d.license?.title, 'en');
  }
  const uses = [
    ...(d.accessConditions ?? []).map((c) => c.label),
    ...(d.dataUse ?? []).map((u) => (u.term.code ? `${u.term.code} ${u.term.label}` : u.term.label)),
  ];
  if (uses.length) {
    const r = `${ds}#use-conditions`;
    g.link(dist, iri('dct', 'rights'), r);
    g.type(r, iri('dct', 'RightsStatement'));
    g.text(r, iri('rdfs', 'label'), uses.join('; '), 'en');
  }
  return ds;
}

function addHealthTheme(g: Graph) {
  g.type(EU.themeHealth, iri('skos', 'Concept'));
  g.text(EU.themeHealth, iri('skos', 'prefLabel'), 'Health', 'en');
  g.link(EU.themeHealth, iri('skos', 'inScheme'), EU.themeScheme);
  g.type(EU.themeScheme, iri('skos', 'ConceptScheme'));
  g.text(EU.themeScheme, iri('dct', 'title'), 'Data theme', 'en');
}

function addLegislation(g: Graph, s: string) {
  g.link(s, iri('dcatap', 'applicableLegislation'), EU.ehds);
  g.type(EU.ehds, iri('eli', 'LegalResource'));
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const catalogUrl = (repo: Repository) => `${repo.origin}/api/v1/catalog`;

/** The catalogue node (without its datasets); `modified` is the newest record datestamp. */
export function addCatalog(g: Graph, repo: Repository, modified: Date | null, issued: Date | null = null): string {
  const cat = catalogUrl(repo);
  g.type(cat, iri('dcat', 'Catalog'));
  g.text(cat, iri('dct', 'title'), repo.name, 'en');
  g.text(
    cat,
    iri('dct', 'description'),
    'Catalogue of cancer-imaging collections; each collection is one XNAT project described in the DICOM-MIABIS model.',
    'en',
  );
  const publisher = `${repo.origin}/#publisher`;
  g.link(cat, iri('dct', 'publisher'), publisher);
  g.type(publisher, iri('foaf', 'Agent'));
  g.text(publisher, iri('foaf', 'name'), repo.name);
  addAgentDetails(g, publisher, { name: repo.name, email: repo.adminEmail, url: `${repo.origin}/` });
  const home = `${repo.origin}/`;
  g.link(cat, iri('foaf', 'homepage'), home);
  g.type(home, iri('foaf', 'Document'));
  g.link(cat, iri('dct', 'language'), EU.language('ENG'));
  g.type(EU.language('ENG'), iri('dct', 'LinguisticSystem'));
  g.link(cat, iri('dcat', 'themeTaxonomy'), EU.themeScheme);
  addHealthTheme(g);
  addLegislation(g, cat);
  if (modified) g.text(cat, iri('dct', 'modified'), iso(modified), xsd('dateTime'));
  if (issued) g.text(cat, iri('dct', 'issued'), iso(issued), xsd('dateTime'));
  return cat;
}

/** Dataset membership plus a catalogue record carrying the harvest datestamp. */
export function addCatalogEntry(g: Graph, repo: Repository, ds: string, datestamp: string, issued: Date | null) {
  const cat = catalogUrl(repo);
  g.link(cat, iri('dcat', 'dataset'), ds);
  const rec = `${ds}#record`;
  g.link(cat, iri('dcat', 'record'), rec);
  g.type(rec, iri('dcat', 'CatalogRecord'));
  g.link(rec, iri('foaf', 'primaryTopic'), ds);
  g.text(rec, iri('dct', 'modified'), datestamp, xsd('dateTime'));
  if (issued) g.text(rec, iri('dct', 'issued'), iso(issued), xsd('dateTime'));
  g.link(rec, iri('dct', 'conformsTo'), DCAT_AP_301);
  g.type(DCAT_AP_301, iri('dct', 'Standard'));
  g.text(DCAT_AP_301, iri('dct', 'title'), 'DCAT-AP 3.0.1', 'en');
  g.link(rec, iri('adms', 'status'), RECORD_COMPLETED);
  g.type(RECORD_COMPLETED, iri('skos', 'Concept'));
  g.text(RECORD_COMPLETED, iri('skos', 'prefLabel'), 'Completed', 'en');
}

const DCAT_AP_301 = 'https://semiceu.github.io/DCAT-AP/releases/3.0.1/';
const RECORD_COMPLETED = 'http://purl.org/adms/status/Completed';
