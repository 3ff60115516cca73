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
  });
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
    contacts: [{ contactId: 'prov-x:contact:ada', role: 'contact' }],
    networkIds: [],
    description: 'Dynamic contrast MRI — with “quotes”, <markup> & ampersands.',
    acronym: 'BMRI',
    modalities: ['MR'],
    conditions: ['C50'],
    countries: ['NL'],
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
    // The only warnings: recommended properties our data cannot fill (countries are not yet mapped to
    // the EU country NAL, agents carry no publisher type, some collections have no licence or period,
    // the catalogue's own licence is the operator's decision).
    const warnings = [...new Set(results.filter((x) => x.severity === 'Warning').map((x) => x.path))];
    for (const w of warnings)
      expect([
        'http://purl.org/dc/terms/spatial',
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
