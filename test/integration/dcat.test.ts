/**
 * The DCAT-AP export: /api/v1/catalog and /api/v1/catalog/datasets/:id in Turtle, JSON-LD and RDF/XML
 * (the same graph in each), SHACL-valid against DCAT-AP 3.0.1 (mandatory, recommended and range
 * shapes), the dcat_ap OAI payload equal to the dataset endpoint, and private collections absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harvestingModule } from '../../server/oai/index.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { canonical, parseRdf, shaclResults, xsdProblems } from '../helpers/oai.js';

const ORIGIN = 'https://catalogue.example.org';
let tdb: TestDatabase;
let t: TestApp;
let live: { id: string };
let second: { id: string };
let secret: { id: string };
let draft: { id: string };
let withdrawn: { id: string };
let admin: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  // Page size 1: the streamed catalogue is written in several chunks.
  t = await buildTestApp(tdb.database, {
    modules: [harvestingModule(tdb.database.db, { publicUrl: ORIGIN, repositoryName: 'Test catalogue', pageSize: 1 })],
  });
  admin = await t.user({ admin: true });
  const p = await t.provider({
    id: 'prov-x',
    name: 'Imaging "X" & <Partners>',
    url: 'https://x.example.org',
    contactEmail: 'data@x.example.org',
    city: 'Amsterdam',
  });
  for (const [id, firstName, lastName] of [
    ['prov-x:contact:bob', 'Bob', 'Builder'],
    ['prov-x:contact:cleo', 'Cleo', 'Head'],
  ] as const) {
    const r = await t.call('PUT', '/api/v1/contacts', {
      as: admin,
      body: { id, providerId: p, firstName, lastName, email: `${firstName.toLowerCase()}@x.example.org` },
    });
    expect(r.status).toBe(200);
  }
  expect(
    (
      await t.call('POST', '/api/v1/networks', {
        as: admin,
        body: { id: 'net-eci', kind: 'project', name: 'EuCanImage', url: 'https://eucanimage.eu' },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await t.call('PUT', '/api/v1/contacts', {
        as: admin,
        body: { id: 'prov-x:contact:ada', providerId: p, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@x.example.org' },
      })
    ).status,
  ).toBe(200);
  live = await t.collection(p, {
    title: 'Breast MRI cohort',
    contacts: [
      { contactId: 'prov-x:contact:ada', role: 'contact' },
      { contactId: 'prov-x:contact:bob', role: 'creator' },
      { contactId: 'prov-x:contact:cleo', role: 'head' },
    ],
    networkIds: ['net-eci'],
    description: 'Dynamic contrast MRI — with “quotes”, <markup> & ampersands.',
    acronym: 'BMRI',
    modalities: ['MR'],
    conditions: ['C50'],
    countries: ['NL', 'EL', 'DE'],
    deidentification: { patientIdentityRemoved: true, dataProtectionStatus: 'pseudonymised' },
    dataUse: [{ term: 'GRU' }, { term: 'NCU' }],
    sizeBytes: 123456789,
    pid: '10.5281/zenodo.42',
    otherIdentifiers: [{ scheme: 'EUCAIM', value: 'EUCAIM-DS-7' }],
    landingPage: 'https://x.example.org/bmri',
    acquisitionPeriod: { start: '2015-01-01', end: '2019-12-31' },
    license: { title: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
    publications: [{ doi: '10.1000/xyz123' }],
    age: { low: 30, high: 75, unit: 'years' },
    provenance: 'Collected at two sites.',
  });
  second = await t.collection(p, { title: 'Second cohort' });
  secret = await t.collection(p, {
    title: 'Zebrafish secret',
    xnat: { instance: 'https://xnat.test.org', projectId: 'SECRET_9', visibility: 'private' },
  });
  draft = await t.collection(p, { title: 'Draft cohort' }, { publish: false });
  withdrawn = await t.collection(p, { title: 'Withdrawn cohort' });
  expect(
    (await t.call('POST', `/api/v1/collections/${encodeURIComponent(withdrawn.id)}/withdraw`, { as: admin, body: { reason: 'x' } })).status,
  ).toBe(200);
});
afterAll(async () => tdb.drop());

async function get(path: string, accept?: string, as?: string) {
  const headers: Record<string, string> = accept ? { accept } : {};
  if (as) headers.authorization = `Bearer ${await t.issuer.sign({ sub: as, name: as })}`;
  const res = await t.app.request(path, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text(), link: res.headers.get('link') };
}

const TYPES = ['text/turtle', 'application/ld+json', 'application/rdf+xml'];
const dsUrl = (id: string) => `/api/v1/catalog/datasets/${encodeURIComponent(id)}`;

describe('DCAT catalogue', () => {
  it('serves the same graph in Turtle, JSON-LD and RDF/XML', async () => {
    const graphs: string[][] = [];
    for (const type of TYPES) {
      const r = await get('/api/v1/catalog', type);
      expect(r.status).toBe(200);
      expect(r.type).toContain(type);
      graphs.push(canonical(await parseRdf(r.text, type)));
    }
    expect(graphs[0]!.length).toBeGreaterThan(50);
    expect(graphs[1]).toEqual(graphs[0]);
    expect(graphs[2]).toEqual(graphs[0]);
    expect((await get('/api/v1/catalog?format=rdf')).type).toContain('application/rdf+xml');
    expect((await get('/api/v1/catalog', 'image/png')).status).toBe(406);
  });

  it('lists live collections only, whoever asks', async () => {
    for (const who of [undefined, admin]) {
      const r = await get('/api/v1/catalog', 'text/turtle', who);
      expect(r.text).toContain(encodeURIComponent(live.id));
      expect(r.text).toContain(encodeURIComponent(second.id));
      for (const hidden of [secret, draft, withdrawn]) expect(r.text).not.toContain(encodeURIComponent(hidden.id));
      expect(r.text).not.toContain('Zebrafish');
    }
  });

  it('is SHACL-valid against DCAT-AP 3.0.1 (no violations, no warnings)', async () => {
    const r = await get('/api/v1/catalog', 'application/rdf+xml');
    const results = await shaclResults(await parseRdf(r.text, 'application/rdf+xml'));
    expect(results.filter((x) => x.severity === 'Violation')).toEqual([]);
    // The only warnings: recommended properties our data cannot fill (some collections name no country,
    // the EU country IRIs we use as dct:Location carry no geometry, agents carry no publisher type, some
    // collections have no licence or period, the catalogue's own licence is the operator's decision).
    const warnings = [...new Set(results.filter((x) => x.severity === 'Warning').map((x) => x.path))];
    for (const w of warnings)
      expect([
        'http://purl.org/dc/terms/spatial',
        'http://www.w3.org/ns/dcat#bbox',
        'http://www.w3.org/ns/dcat#centroid',
        'http://purl.org/dc/terms/type',
        'http://purl.org/dc/terms/license',
        'http://purl.org/dc/terms/temporal',
      ]).toContain(w);
  });
});

describe('DCAT dataset per collection', () => {
  it('has its own URL with the mapped properties and the XNAT project as distribution', async () => {
    const r = await get(dsUrl(live.id), 'text/turtle');
    expect(r.status).toBe(200);
    expect(r.link).toContain('rel="alternate"');
    const g = canonical(await parseRdf(r.text, 'text/turtle')).join('\n');
    const ds = `<${ORIGIN}${dsUrl(live.id)}>`;
    expect(g).toContain(`${ds} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>`);
    expect(g).toContain('"Dynamic contrast MRI — with “quotes”, <markup> & ampersands."@en');
    expect(g).toContain(`<http://www.w3.org/ns/dcat#accessURL> <${live.id ? 'https://xnat.test.org/data/projects/' : ''}`);
    expect(g).toContain('<http://www.w3.org/ns/dcat#startDate> "2015-01-01"^^<http://www.w3.org/2001/XMLSchema#date>');
    expect(g).toContain(
      '<http://healthdataportal.eu/ns/health#numberOfUniqueIndividuals> "120"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>',
    );
    expect(g).toContain('<http://purl.org/dc/terms/license> <https://creativecommons.org/licenses/by/4.0/>');
    expect(g).toContain('<http://purl.org/dc/terms/isReferencedBy> <https://doi.org/10.1000/xyz123>');
    expect(g).toContain('<http://www.w3.org/2006/vcard/ns#fn> "Ada Lovelace"');
    expect(g).toContain('<http://www.w3.org/2006/vcard/ns#hasEmail> <mailto:ada@x.example.org>');
    expect(g).toContain('<http://xmlns.com/foaf/0.1/name> "Imaging \\"X\\" & <Partners>"');
    const results = await shaclResults(await parseRdf(r.text, 'text/turtle'));
    expect(results.filter((x) => x.severity === 'Violation')).toEqual([]);
  });

  it('carries the HealthDCAT-AP / EUCAIM v2 properties our model holds data for (§5.2)', async () => {
    const r = await get(dsUrl(live.id), 'text/turtle');
    const g = canonical(await parseRdf(r.text, 'text/turtle'));
    const ds = `<${ORIGIN}${dsUrl(live.id)}>`;
    const agent = `<${ORIGIN}/api/v1/providers/prov-x>`;
    const has = (line: string) => expect(g).toContain(`${line} .`);
    const EU = 'http://publications.europa.eu/resource/authority';
    const HD = 'http://healthdataportal.eu/ns/health#';
    const nni = '^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>';
    // Countries as EU country authority IRIs (alpha-3; EU usage EL → GRC).
    for (const c of ['NLD', 'GRC', 'DEU']) {
      has(`${ds} <http://purl.org/dc/terms/spatial> <${EU}/country/${c}>`);
      has(`<${EU}/country/${c}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://purl.org/dc/terms/Location>`);
    }
    has(`${ds} <http://purl.org/dc/terms/language> <${EU}/language/ENG>`);
    has(`${ds} <http://purl.org/dc/terms/accessRights> <${EU}/access-right/PUBLIC>`);
    // Population.
    has(`${ds} <${HD}minTypicalAge> "30"${nni}`);
    has(`${ds} <${HD}maxTypicalAge> "75"${nni}`);
    has(`${ds} <${HD}hasCodingSystem> <https://www.wikidata.org/entity/P494>`);
    has(`${ds} <${HD}hasCodeValues> "ICD-10: C50"`);
    const coverage = g.find((l) => l.startsWith(`${ds} <${HD}populationCoverage>`));
    expect(coverage).toContain('Age: 30–75 years');
    expect(coverage).toContain('Countries: Netherlands, Greece, Germany');
    expect(coverage).toContain('C50');
    // Data protection: pseudonymised health data, research purposes, non-commercial.
    has(`${ds} <http://purl.org/dc/terms/type> <https://w3id.org/dpv#PseudonymisedData>`);
    has(`${ds} <https://w3id.org/dpv#hasPersonalData> <https://w3id.org/dpv/pd#MedicalHealth>`);
    has(`${ds} <https://w3id.org/dpv#hasPurpose> <https://w3id.org/dpv#ResearchAndDevelopment>`);
    has(`${ds} <https://w3id.org/dpv#hasPurpose> <https://w3id.org/dpv#NonCommercialResearch>`);
    expect(g).not.toContain(`${ds} <https://w3id.org/dpv#hasPurpose> <https://w3id.org/dpv#CommercialResearch> .`);
    // People in their roles, and the project that produced the data.
    const bob = `<${ORIGIN}${dsUrl(live.id)}#agent-prov-x_contact_bob>`;
    has(`${ds} <http://purl.org/dc/terms/creator> ${bob}`);
    has(`${bob} <http://xmlns.com/foaf/0.1/name> "Bob Builder"`);
    const att = `<${ORIGIN}${dsUrl(live.id)}#attribution-prov-x_contact_cleo>`;
    has(`${ds} <http://www.w3.org/ns/prov#qualifiedAttribution> ${att}`);
    has(
      `${att} <http://www.w3.org/ns/dcat#hadRole> <http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/principalInvestigator>`,
    );
    const net = `<${ORIGIN}/api/v1/networks/net-eci>`;
    has(`${ds} <http://www.w3.org/ns/prov#wasGeneratedBy> ${net}`);
    has(`${net} <http://www.w3.org/2000/01/rdf-schema#label> "EuCanImage"@en`);
    // Identifiers, landing pages, size.
    const ids = g.filter((l) => l.includes('<http://www.w3.org/2004/02/skos/core#notation>')).join('\n');
    expect(ids).toContain('"https://doi.org/10.5281/zenodo.42"');
    expect(ids).toContain('"EUCAIM-DS-7"');
    has(`${ds} <http://www.w3.org/ns/dcat#landingPage> <https://x.example.org/bmri>`);
    has(`<${ORIGIN}${dsUrl(live.id)}#xnat-distribution> <http://www.w3.org/ns/dcat#byteSize> "123456789"${nni}`);
    // The publisher: description, contact point both ways, address with the EU country IRI.
    has(`${agent} <http://purl.org/dc/terms/description> "A test imaging site"@en`);
    has(`${agent} <http://www.w3.org/ns/dcat#contactPoint> <${ORIGIN}/api/v1/providers/prov-x#contact>`);
    has(`<${ORIGIN}/api/v1/providers/prov-x#contact> <http://www.w3.org/2006/vcard/ns#hasEmail> <mailto:data@x.example.org>`);
    has(`${agent} <http://data.europa.eu/m8g/contactPoint> <${ORIGIN}/api/v1/providers/prov-x#contact-point>`);
    has(`<${ORIGIN}/api/v1/providers/prov-x#contact-point> <http://data.europa.eu/m8g/email> "mailto:data@x.example.org"`);
    has(`<${ORIGIN}/api/v1/providers/prov-x#address> <http://www.w3.org/ns/locn#postName> "Amsterdam"`);
    has(`<${ORIGIN}/api/v1/providers/prov-x#address> <http://www.w3.org/ns/locn#adminUnitL1> "Netherlands"`);
    has(`<${ORIGIN}/api/v1/providers/prov-x#address> <http://purl.org/dc/terms/spatial> <${EU}/country/NLD>`);
    // A collection without those data gets none of them (nothing invented).
    const ds2 = `<${ORIGIN}${dsUrl(second.id)}>`;
    const plain = canonical(await parseRdf((await get(dsUrl(second.id), 'text/turtle')).text, 'text/turtle'));
    const predicates = new Set(plain.filter((l) => l.startsWith(`${ds2} `)).map((l) => l.split(' ')[1]));
    for (const p of [
      'http://purl.org/dc/terms/spatial',
      'http://purl.org/dc/terms/type',
      'https://w3id.org/dpv#hasPurpose',
      'https://w3id.org/dpv#hasPersonalData',
      'http://purl.org/dc/terms/creator',
      'http://www.w3.org/ns/prov#wasGeneratedBy',
    ])
      expect(predicates).not.toContain(`<${p}>`);
    expect(plain.join('\n')).not.toContain('byteSize');
    expect(plain.filter((l) => l.includes('#identifier-'))).toEqual([]);
  });

  it('is a 404 for private, draft and withdrawn collections, even for an admin', async () => {
    const missing = await get(dsUrl('no-such-collection'));
    for (const c of [secret, draft, withdrawn]) {
      for (const who of [undefined, admin]) {
        const r = await get(dsUrl(c.id), undefined, who);
        expect(r.status).toBe(404);
        expect(r.text.replace(/"(instance|requestId)":"[^"]*"/g, '')).toBe(missing.text.replace(/"(instance|requestId)":"[^"]*"/g, ''));
      }
    }
  });

  it('equals the dcat_ap OAI-PMH payload, which is XSD-valid RDF/XML without xsi attributes', async () => {
    const res = await t.app.request(
      `/oai?verb=GetRecord&metadataPrefix=dcat_ap&identifier=${encodeURIComponent(`oai:catalogue.example.org:${live.id}`)}`,
    );
    const xml = await res.text();
    expect(xsdProblems(xml)).toBe('');
    const payload = /<metadata>([^]*)<\/metadata>/.exec(xml)![1]!;
    expect(payload).toMatch(/^<rdf:RDF [^>]*>/);
    expect(payload.slice(0, payload.indexOf('>'))).not.toContain('xsi:');
    const fromOai = canonical(await parseRdf(payload, 'application/rdf+xml'));
    const fromApi = canonical(await parseRdf((await get(dsUrl(live.id), 'application/rdf+xml')).text, 'application/rdf+xml'));
    expect(fromOai).toEqual(fromApi);
  });
});
