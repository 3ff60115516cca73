/** Collection → simple Dublin Core (`oai_dc`), element by element as in datamodel §5.1. */
import type { CollectionFields } from '../../../schemas/collection.js';
import { cancerSiteGroup } from '../../../schemas/vocab/cancer-sites.js';
import { FILE_FORMATS } from '../../../schemas/vocab/catalogue-lists.js';
import { duoIri } from '../../../schemas/vocab/duo.js';
import type { PayloadContext } from '../payload-context.js';
import type { RecordRow } from '../queries.js';
import { landingPage } from '../records.js';
import { el, node } from '../xml.js';

export const OAI_DC = {
  prefix: 'oai_dc',
  schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd',
  namespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/',
};

const dc = (name: string, value: string | undefined, lang?: string) =>
  value ? el(`dc:${name}`, value, lang ? { 'xml:lang': lang } : undefined) : '';

export function doiUrl(pid: string | undefined): string | undefined {
  if (!pid) return undefined;
  const doi = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)?(10\.\d{4,9}\/\S+)$/i.exec(pid.trim());
  return doi ? `https://doi.org/${doi[1]}` : /^https?:\/\//.test(pid) ? pid : undefined;
}

/** "Subjects: 120; Studies: 240; Modalities: CT, SEG; …", the generated second description. */
export function summaryLine(d: CollectionFields): string {
  const parts: string[] = [];
  if (d.subjectsCount !== undefined) parts.push(`Subjects: ${d.subjectsCount}`);
  if (d.studiesCount !== undefined) parts.push(`Studies: ${d.studiesCount}`);
  if (d.seriesCount !== undefined) parts.push(`Series: ${d.seriesCount}`);
  if (d.instancesCount !== undefined) parts.push(`Instances: ${d.instancesCount}`);
  if (d.modalities?.length) parts.push(`Modalities: ${d.modalities.map((m) => m.code ?? m.label).join(', ')}`);
  if (d.bodyParts?.length) parts.push(`Body parts: ${d.bodyParts.map((b) => b.label).join(', ')}`);
  if (d.age && (d.age.low !== undefined || d.age.high !== undefined))
    parts.push(`Age: ${d.age.low ?? '?'}–${d.age.high ?? '?'} ${d.age.unit}`);
  if (d.sex?.length) parts.push(`Sex: ${d.sex.map((s) => s.label).join(', ')}`);
  return parts.join('; ');
}

export function oaiDcPayload(row: RecordRow, ctx: PayloadContext): string {
  const d = row.doc as CollectionFields;
  const derived = row.derived as { cancerSiteGroups?: string[] };
  const provider = ctx.providers.get(row.providerId);
  const parts: string[] = [];
  parts.push(dc('title', row.title, 'en'), dc('title', d.acronym));
  parts.push(dc('creator', provider?.name ?? row.providerId));
  for (const k of d.keywords ?? []) parts.push(dc('subject', k, 'en'));
  for (const s of derived.cancerSiteGroups ?? []) parts.push(dc('subject', cancerSiteGroup(s)?.label ?? s, 'en'));
  for (const c of d.conditions ?? []) parts.push(dc('subject', c.system === 'ICD-10' && c.code ? `ICD-10:${c.code} ${c.label}` : c.label));
  for (const m of d.modalities ?? []) parts.push(dc('subject', m.code ? `DICOM:${m.code} ${m.label}` : m.label));
  for (const b of d.bodyParts ?? []) parts.push(dc('subject', b.code ? `DICOM Body Part:${b.code}` : b.label));
  parts.push(dc('description', d.description, 'en'), dc('description', summaryLine(d), 'en'));
  parts.push(dc('publisher', ctx.repo.name));
  for (const n of d.networkIds ?? []) parts.push(dc('contributor', ctx.networks.get(n)?.name ?? n));
  for (const c of d.contacts ?? []) {
    const doc = ctx.contacts.get(c.contactId)?.doc as { firstName?: string; lastName?: string } | undefined;
    if (doc?.lastName) parts.push(dc('contributor', doc.firstName ? `${doc.lastName}, ${doc.firstName}` : doc.lastName));
  }
  parts.push(dc('date', (row.publishedAt ?? row.createdAt).toISOString().slice(0, 10)));
  parts.push(dc('type', 'Dataset'), dc('type', 'Image'));
  const formats = new Set(['application/dicom']);
  for (const f of d.fileFormats ?? []) {
    const mt = FILE_FORMATS.find((t) => t.code === f.code)?.mediaType;
    formats.add(mt ?? f.label);
  }
  for (const f of formats) parts.push(dc('format', f));
  parts.push(dc('identifier', landingPage(ctx.repo, row.id)));
  parts.push(dc('identifier', doiUrl(d.pid)));
  if (d.landingPage) parts.push(dc('identifier', d.landingPage));
  for (const o of d.otherIdentifiers ?? []) parts.push(dc('identifier', o.url ?? `${o.scheme}:${o.value}`));
  parts.push(dc('language', 'en'));
  for (const n of d.networkIds ?? []) parts.push(dc('relation', ctx.networks.get(n)?.url));
  if (d.parentCollectionId) parts.push(dc('relation', landingPage(ctx.repo, d.parentCollectionId)));
  for (const p of d.publications ?? []) parts.push(dc('relation', doiUrl(p.doi) ?? p.citation));
  for (const c of d.countries ?? []) parts.push(dc('coverage', c));
  if (d.acquisitionPeriod?.start || d.acquisitionPeriod?.end)
    parts.push(dc('coverage', `${d.acquisitionPeriod.start ?? '..'}/${d.acquisitionPeriod.end ?? '..'}`));
  if (d.accessRights) parts.push(dc('rights', `Access rights: ${d.accessRights.label}`));
  if (d.license) parts.push(dc('rights', d.license.url ?? d.license.title));
  for (const u of d.dataUse ?? [])
    parts.push(dc('rights', u.term.code ? `${u.term.code} ${u.term.label} (${duoIri(u.term.code)})` : u.term.label));
  if (d.accessUrl) parts.push(dc('rights', d.accessUrl));
  return node('oai_dc:dc', parts, {
    'xmlns:oai_dc': OAI_DC.namespace,
    'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xsi:schemaLocation': `${OAI_DC.namespace} ${OAI_DC.schema}`,
  });
}
