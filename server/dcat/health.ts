/**
 * The HealthDCAT-AP / EUCAIM DCAT-AP v2 part of a `dcat:Dataset` (datamodel §5.2) that our model
 * holds data for: countries as EU country IRIs, the population (coverage text, typical ages, coding
 * system), the data-protection status (dct:type, personal-data categories, purposes), people in
 * their roles (creator, principal investigator, custodian), the projects that produced the data, and
 * the publisher's contact point and address. Properties we hold no data for (hdab, healthCategory,
 * legal basis, retention period, EUCAIM codes) are left out rather than invented (ADR 0008).
 */
import type { CollectionFields } from '../../schemas/collection.js';
import { DUO } from '../../schemas/vocab/duo.js';
import type { PayloadContext } from '../oai/payload-context.js';
import { alpha3 } from './countries.js';
import type { Graph } from './dataset.js';
import { EU, iri } from './vocab.js';

const regionName = new Intl.DisplayNames(['en'], { type: 'region' });
// EU usage: EL is Greece, UK the United Kingdom (ISO: GR, GB).
const ISO_ALPHA2: Record<string, string> = { EL: 'GR', UK: 'GB' };
const countryName = (code: string) => {
  try {
    return regionName.of(ISO_ALPHA2[code.toUpperCase()] ?? code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
};
const frag = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
const count = iri('xsd', 'nonNegativeInteger');

/** Wikidata "ICD-10 ID", the coding-system IRI HealthDCAT-AP implementations use for ICD-10. */
export const ICD10_CODING_SYSTEM = 'https://www.wikidata.org/entity/P494';
/** ISO 19115 CI_RoleCode principalInvestigator (INSPIRE code list), the role of a collection's head. */
export const PRINCIPAL_INVESTIGATOR = 'http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/principalInvestigator';
const DATA_PROTECTION = {
  pseudonymised: { iri: iri('dpv', 'PseudonymisedData'), label: 'Pseudonymised data' },
  anonymised: { iri: iri('dpv', 'AnonymisedData'), label: 'Anonymised data' },
} as const;
/** DUO permission terms (any research use), and the modifiers that restrict use to non-commercial ends. */
const DUO_RESEARCH = new Set([DUO.NRES, DUO.GRU, DUO.HMB, DUO.DS, DUO.POA]);
const DUO_NON_COMMERCIAL = new Set([DUO.NCU, DUO.NPUNCU]);

/** Ages in whole years: the lower bound rounds down, the upper bound up (HealthDCAT-AP wants integers). */
export function typicalAges(age: CollectionFields['age']): { min?: number; max?: number } {
  if (!age) return {};
  const perYear = { years: 1, months: 12, weeks: 52.1775, days: 365.2425 }[age.unit ?? 'years'];
  return {
    min: age.low === undefined ? undefined : Math.floor(age.low / perYear),
    max: age.high === undefined ? undefined : Math.ceil(age.high / perYear),
  };
}

/** "Sex: female. Age: 30–75 years. Conditions: Malignant neoplasm of breast (ICD-10 C50). Countries: Netherlands." */
export function populationCoverage(d: CollectionFields): string {
  const parts: string[] = [];
  if (d.sex?.length) parts.push(`Sex: ${d.sex.map((s) => s.label).join(', ')}`);
  if (d.age && (d.age.low !== undefined || d.age.high !== undefined))
    parts.push(`Age: ${d.age.low ?? '?'}–${d.age.high ?? '?'} ${d.age.unit ?? 'years'}`);
  if (d.conditions?.length)
    parts.push(
      `Conditions: ${d.conditions.map((c) => (c.code ? `${c.label} (${c.system ?? ''} ${c.code})`.replace('( ', '(') : c.label)).join('; ')}`,
    );
  if (d.countries?.length) parts.push(`Countries: ${d.countries.map(countryName).join(', ')}`);
  return parts.length ? `${parts.join('. ')}.` : '';
}

export function addHealthProperties(g: Graph, ds: string, d: CollectionFields) {
  for (const c of d.countries ?? []) {
    const code = alpha3(c);
    if (!code) continue;
    g.link(ds, iri('dct', 'spatial'), EU.country(code));
    g.type(EU.country(code), iri('dct', 'Location'));
  }
  g.link(ds, iri('dct', 'language'), EU.language('ENG'));
  g.type(EU.language('ENG'), iri('dct', 'LinguisticSystem'));

  g.text(ds, iri('healthdcatap', 'populationCoverage'), populationCoverage(d), 'en');
  const ages = typicalAges(d.age);
  g.text(ds, iri('healthdcatap', 'minTypicalAge'), ages.min, count);
  g.text(ds, iri('healthdcatap', 'maxTypicalAge'), ages.max, count);
  const icd = (d.conditions ?? []).filter((c) => c.system === 'ICD-10' && c.code);
  for (const c of icd) g.text(ds, iri('healthdcatap', 'hasCodeValues'), `ICD-10: ${c.code}`);
  if (icd.length) {
    g.link(ds, iri('healthdcatap', 'hasCodingSystem'), ICD10_CODING_SYSTEM);
    g.type(ICD10_CODING_SYSTEM, iri('dct', 'Standard'));
    g.text(ICD10_CODING_SYSTEM, iri('rdfs', 'label'), 'ICD-10', 'en');
  }
  addDataProtection(g, ds, d);
}

function addDataProtection(g: Graph, ds: string, d: CollectionFields) {
  const deid = d.deidentification;
  const status = deid?.dataProtectionStatus ? DATA_PROTECTION[deid.dataProtectionStatus] : undefined;
  if (status) {
    g.link(ds, iri('dct', 'type'), status.iri);
    g.type(status.iri, iri('skos', 'Concept'));
    g.text(status.iri, iri('skos', 'prefLabel'), status.label, 'en');
  }
  // Pseudonymised images, or images whose patient identity was not removed, are health data about people.
  if (deid && (deid.dataProtectionStatus === 'pseudonymised' || !deid.patientIdentityRemoved)) {
    g.link(ds, iri('dpv', 'hasPersonalData'), iri('dpv-pd', 'MedicalHealth'));
    if (d.age) g.link(ds, iri('dpv', 'hasPersonalData'), iri('dpv-pd', 'Age'));
  }
  const duo = new Set((d.dataUse ?? []).map((u) => u.term.code).filter(Boolean));
  if ([...duo].some((c) => DUO_RESEARCH.has(c!))) g.link(ds, iri('dpv', 'hasPurpose'), iri('dpv', 'ResearchAndDevelopment'));
  if (d.commercialUse === false || [...duo].some((c) => DUO_NON_COMMERCIAL.has(c!)))
    g.link(ds, iri('dpv', 'hasPurpose'), iri('dpv', 'NonCommercialResearch'));
  else if (d.commercialUse === true) g.link(ds, iri('dpv', 'hasPurpose'), iri('dpv', 'CommercialResearch'));
}

type PersonDoc = { firstName?: string; lastName?: string };

/** contacts[role=creator|head|custodian]: dct:creator, prov:qualifiedAttribution (PI), geodcatap:custodian. */
export function addPeople(g: Graph, ds: string, d: CollectionFields, ctx: PayloadContext) {
  for (const c of d.contacts ?? []) {
    if (c.role === 'contact') continue;
    const doc = ctx.contacts.get(c.contactId)?.doc as PersonDoc | undefined;
    const name = [doc?.firstName, doc?.lastName].filter(Boolean).join(' ');
    if (!name) continue;
    const agent = `${ds}#agent-${frag(c.contactId)}`;
    g.type(agent, iri('foaf', 'Agent'));
    g.text(agent, iri('foaf', 'name'), name);
    if (c.role === 'creator') g.link(ds, iri('dct', 'creator'), agent);
    else if (c.role === 'custodian') g.link(ds, iri('geodcatap', 'custodian'), agent);
    else {
      const att = `${ds}#attribution-${frag(c.contactId)}`;
      g.link(ds, iri('prov', 'qualifiedAttribution'), att);
      g.type(att, iri('prov', 'Attribution'));
      g.link(att, iri('prov', 'agent'), agent);
      g.link(att, iri('dcat', 'hadRole'), PRINCIPAL_INVESTIGATOR);
      g.type(PRINCIPAL_INVESTIGATOR, iri('dcat', 'Role'));
    }
  }
  // Networks and projects the collection belongs to: the activities that produced it.
  for (const id of d.networkIds ?? []) {
    const n = ctx.networks.get(id);
    if (!n) continue;
    const act = `${ctx.repo.origin}/api/v1/networks/${encodeURIComponent(id)}`;
    g.link(ds, iri('prov', 'wasGeneratedBy'), act);
    g.type(act, iri('prov', 'Activity'));
    g.text(act, iri('rdfs', 'label'), n.name, 'en');
    if (n.url && /^https?:\/\/[^\s<>"{}|\\^`]+$/.test(n.url)) {
      g.link(act, iri('foaf', 'page'), n.url);
      g.type(n.url, iri('foaf', 'Document'));
    }
  }
}

export interface AgentContact {
  name: string;
  email?: string;
  url?: string;
  description?: string;
  country?: string;
  city?: string;
}

/**
 * Publisher details: a description, one contact point both as HealthDCAT-AP Release 5 has it
 * (dcat:contactPoint → vcard:Kind) and as EUCAIM DCAT-AP v2 does (cv:contactPoint → cv:ContactPoint),
 * and the address (country name and city).
 */
export function addAgentDetails(g: Graph, agent: string, a: AgentContact) {
  const sub = (name: string) => `${agent}${agent.includes('#') ? '-' : '#'}${name}`;
  g.text(agent, iri('dct', 'description'), a.description, 'en');
  if (a.email || a.url) {
    const kind = sub('contact');
    g.link(agent, iri('dcat', 'contactPoint'), kind);
    g.type(kind, iri('vcard', 'Kind'));
    g.text(kind, iri('vcard', 'fn'), a.name);
    if (a.email) g.link(kind, iri('vcard', 'hasEmail'), `mailto:${a.email}`);
    if (a.url) g.link(kind, iri('vcard', 'hasURL'), a.url);
    const cp = sub('contact-point');
    g.link(agent, iri('cv', 'contactPoint'), cp);
    g.type(cp, iri('cv', 'ContactPoint'));
    if (a.email) g.text(cp, iri('cv', 'email'), `mailto:${a.email}`);
    if (a.url) g.link(cp, iri('cv', 'contactPage'), a.url);
  }
  if (a.country || a.city) {
    const addr = sub('address');
    g.link(agent, iri('locn', 'address'), addr);
    g.type(addr, iri('locn', 'Address'));
    g.text(addr, iri('locn', 'postName'), a.city);
    if (a.country) g.text(addr, iri('locn', 'adminUnitL1'), countryName(a.country));
    const code = a.country ? alpha3(a.country) : undefined;
    // The country also as the EU authority IRI, for harvesters that match on it.
    if (code) {
      g.link(addr, iri('dct', 'spatial'), EU.country(code));
      g.type(EU.country(code), iri('dct', 'Location'));
    }
  }
}
