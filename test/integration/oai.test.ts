/**
 * OAI-PMH 2.0 conformance against a real PostgreSQL database (oai-pmh.md §2.5 and §5): every verb and
 * error XSD-valid (xmllint, official schemas), error codes, flow control, selective harvesting,
 * sets, deleted records, and that private or draft collections never appear.
 *
 * The `core` module stamps record_datestamp / exposed_at on every write; here they are set
 * explicitly after each API write (stamp()) so the test controls time to the microsecond.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harvestingModule } from '../../server/oai/index.js';
import { buildTestApp, validCollection, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { xsdProblems } from '../helpers/oai.js';

const ORIGIN = 'https://catalogue.example.org';
const BASE = `${ORIGIN}/oai`;
const PAGE = 3;
let tdb: TestDatabase;
let t: TestApp;
let provA: string;
let provB: string;
const ids: Record<string, string> = {};

async function stamp(id: string, at: string, opts: { exposed?: boolean } = { exposed: true }) {
  await tdb.database.db.execute(
    sql`update collection set record_datestamp = ${at}::timestamptz, exposed_at = case when ${opts.exposed ?? true} then coalesce(exposed_at, ${at}::timestamptz) else exposed_at end where id = ${id}`,
  );
}

async function oai(query: string, method: 'GET' | 'POST' = 'GET') {
  const res =
    method === 'GET'
      ? await t.app.request(`/oai?${query}`)
      : await t.app.request('/oai', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: query });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text };
}

const all = (xml: string, re: RegExp) => [...xml.matchAll(re)].map((m) => m[1]!);
const identifiers = (xml: string) => all(xml, /<identifier>([^<]*)<\/identifier>/g).filter((i) => i.startsWith('oai:'));
const errorCodes = (xml: string) => all(xml, /<error code="([^"]+)"/g);
const token = (xml: string) => /<resumptionToken([^>]*?)(?:\/>|>([^<]*)<\/resumptionToken>)/.exec(xml);
const attr = (s: string | undefined, name: string) => (s ? new RegExp(`${name}="([^"]*)"`).exec(s)?.[1] : undefined);
const oaiId = (id: string) => `oai:catalogue.example.org:${id}`;

/** Follow resumption tokens; checks the flow-control rules on the way. */
async function harvest(verb: 'ListIdentifiers' | 'ListRecords', args: string) {
  const pages: string[] = [];
  let res = await oai(`verb=${verb}&${args}`);
  for (let guard = 0; guard < 100; guard++) {
    expect(xsdProblems(res.text), res.text.slice(0, 300)).toBe('');
    pages.push(res.text);
    const tok = token(res.text);
    if (!tok || !tok[2]) break;
    res = await oai(`verb=${verb}&resumptionToken=${encodeURIComponent(tok[2])}`);
  }
  return pages;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp(tdb.database, {
    modules: [harvestingModule(tdb.database.db, { publicUrl: ORIGIN, repositoryName: 'Test catalogue', pageSize: PAGE })],
  });
  provA = await t.provider({ id: 'prov-a', name: 'Hospital A & Co <imaging>' });
  provB = await t.provider({ id: 'prov-b', name: 'Hospital B' });
  const make = async (key: string, provider: string, overrides: Record<string, unknown>, opts: { publish?: boolean } = {}) => {
    const c = await t.collection(provider, { title: `Collection ${key}`, ...overrides }, opts);
    ids[key] = c.id;
    return c;
  };
  await make('c1', provA, { modalities: ['CT'] });
  await make('c2', provA, { modalities: ['MR'], conditions: ['C50'] });
  await make('c3', provB, { modalities: ['CT', 'SEG'] });
  await make('c4', provB, { modalities: ['MR'], description: 'Accents: é ü – “quotes” & <tags> \u0001' });
  await make('c5', provA, { modalities: ['PT'] });
  await make('c6', provA, { modalities: ['CT'] });
  await make('secret', provA, {
    title: 'Zebrafish secret',
    modalities: ['XA'],
    conditions: ['C71'],
    xnat: { instance: 'https://xnat.test.org', projectId: 'SECRET_1', visibility: 'private' },
  });
  await make('draft', provA, { title: 'Draft only', modalities: ['US'] }, { publish: false });
  await make('withdrawn', provB, { modalities: ['CT'] });
  const turning = await make('turned', provA, { modalities: ['MG'], conditions: ['C50'] });

  await stamp(ids.c1!, '2024-03-01T10:00:00.100000Z');
  await stamp(ids.c2!, '2024-03-01T10:05:00.000000Z');
  await stamp(ids.c3!, '2024-03-02T09:00:00.000001Z');
  await stamp(ids.c4!, '2024-03-02T09:00:00.000002Z'); // same second as c3: keyset by microsecond and id
  await stamp(ids.c5!, '2024-03-03T12:00:00.000000Z');
  await stamp(ids.c6!, '2024-03-03T12:00:00.000000Z'); // same instant as c5: id breaks the tie
  await stamp(ids.secret!, '2024-03-01T11:00:00Z', { exposed: false });
  await stamp(ids.draft!, '2024-03-01T11:00:00Z', { exposed: false });
  await stamp(ids.withdrawn!, '2024-03-04T08:00:00Z');
  expect(
    (
      await t.call('POST', `/api/v1/collections/${encodeURIComponent(ids.withdrawn!)}/withdraw`, {
        as: await t.user({ admin: true }),
        body: { reason: 'duplicate' },
      })
    ).status,
  ).toBe(200);
  await stamp(ids.withdrawn!, '2024-03-05T08:00:00Z');
  await stamp(ids.turned!, '2024-03-04T09:00:00Z');
  const put = await t.call('PUT', `/api/v1/collections/${encodeURIComponent(ids.turned!)}`, {
    as: await t.user({ admin: true }),
    headers: { 'if-match': `"${turning.revision}"` },
    body: validCollection(provA, { title: 'Now private MG cohort', modalities: ['MG'], xnat: { ...turning.xnat, visibility: 'private' } }),
  });
  expect(put.status).toBe(200);
  await stamp(ids.turned!, '2024-03-05T09:00:00Z');
});
afterAll(async () => tdb.drop());

const LIVE = () => ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((k) => oaiId(ids[k]!));
const DELETED = () => ['withdrawn', 'turned'].map((k) => oaiId(ids[k]!));

describe('envelope and Identify', () => {
  it('answers Identify with the public base URL, the true earliest datestamp and persistent deletions', async () => {
    const r = await oai('verb=Identify');
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/xml; charset=UTF-8');
    expect(xsdProblems(r.text)).toBe('');
    expect(r.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(r.text).toContain(`<request verb="Identify">${BASE}</request>`);
    expect(r.text).toContain(`<baseURL>${BASE}</baseURL>`);
    expect(r.text).toContain('<earliestDatestamp>2024-03-01T10:00:00Z</earliestDatestamp>');
    expect(r.text).toContain('<deletedRecord>persistent</deletedRecord>');
    expect(r.text).toContain('<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>');
    expect(r.text).toContain('<repositoryIdentifier>catalogue.example.org</repositoryIdentifier>');
    expect(r.text).toMatch(/<responseDate>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/responseDate>/);
  });

  it('serves POST like GET', async () => {
    // The token freezes the harvest's start time, so it differs between two requests: compare without it.
    const strip = (s: string) =>
      s.replace(/<responseDate>[^<]*<\/responseDate>/, '').replace(/<resumptionToken[^]*<\/resumptionToken>/, '');
    for (const q of [
      'verb=Identify',
      'verb=ListIdentifiers&metadataPrefix=oai_dc',
      `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(oaiId(ids.c1!))}`,
    ])
      expect(strip((await oai(q, 'POST')).text)).toBe(strip((await oai(q)).text));
    expect(errorCodes((await oai('verb=Bogus', 'POST')).text)).toEqual(['badVerb']);
  });
});

describe('errors: HTTP 200, XSD-valid, the right code', () => {
  const cases: [string, string[]][] = [
    ['', ['badVerb']],
    ['junk', ['badVerb']],
    ['verb=Nonsense', ['badVerb']],
    ['verb=identify', ['badVerb']],
    ['verb=Identify&verb=Identify', ['badVerb']],
    ['verb=Identify&foo=bar', ['badArgument']],
    ['verb=ListMetadataFormats&metadataPrefix=oai_dc', ['badArgument']],
    ['verb=ListRecords', ['badArgument']],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=junk', ['badArgument']],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=2002-02-05&until=2002-02-06T05:35:00Z', ['badArgument']],
    ['verb=GetRecord&identifier=invalid"id&metadataPrefix=oai_dc', ['idDoesNotExist']],
    ['verb=GetRecord&metadataPrefix=oai_dc', ['badArgument']],
    ['verb=ListRecords&resumptionToken=junk', ['badResumptionToken']],
    ['verb=ListIdentifiers&resumptionToken=junk', ['badResumptionToken']],
    ['verb=ListSets&resumptionToken=junk', ['badResumptionToken']],
    ['verb=ListRecords&metadataPrefix=nonexistent', ['cannotDisseminateFormat']],
    ['verb=ListIdentifiers&metadataPrefix=nonexistent', ['cannotDisseminateFormat']],
    ['verb=GetRecord&metadataPrefix=nonexistent&identifier=oai:catalogue.example.org:x', ['cannotDisseminateFormat']],
    ['verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:catalogue.example.org:no-such', ['idDoesNotExist']],
    ['verb=ListMetadataFormats&identifier=oai:other.org:x', ['idDoesNotExist']],
    ['verb=ListRecords&metadataPrefix=oai_dc&until=2023-03-01', ['noRecordsMatch']],
    ['verb=ListRecords&metadataPrefix=oai_dc&set=no-such-kind', ['noRecordsMatch']],
  ];
  it.each(cases)('%s → %j', async (q, expected) => {
    const r = await oai(q);
    expect(r.status).toBe(200);
    expect(r.type).toContain('text/xml');
    expect(xsdProblems(r.text)).toBe('');
    expect(errorCodes(r.text)).toEqual(expected);
    // badVerb / badArgument: the request element carries no attributes (nothing illegal is echoed).
    if (expected[0] === 'badVerb' || expected[0] === 'badArgument') expect(r.text).toContain(`<request>${BASE}</request>`);
  });

  it('rejects a ListRecords token used with ListIdentifiers', async () => {
    const first = await oai('verb=ListRecords&metadataPrefix=oai_dc');
    const tok = token(first.text)![2]!;
    expect(errorCodes((await oai(`verb=ListIdentifiers&resumptionToken=${encodeURIComponent(tok)}`)).text)).toEqual(['badResumptionToken']);
  });
});

describe('complete harvests', () => {
  it('list every live and deleted record once, never private or draft ones, with correct flow control', async () => {
    for (const prefix of ['oai_dc', 'dcat_ap', 'dicom_miabis']) {
      const pages = await harvest('ListRecords', `metadataPrefix=${prefix}`);
      const got = pages.flatMap(identifiers);
      expect(new Set(got).size).toBe(got.length);
      expect(got.sort()).toEqual([...LIVE(), ...DELETED()].sort());
      const body = pages.join('');
      expect(body).not.toContain('Zebrafish');
      expect(body).not.toContain('Draft only');
      expect(body).not.toContain('Now private');
      // 8 records at 3 per page: cursors 0, 3, 6; the last page has an empty token.
      expect(pages).toHaveLength(3);
      expect(pages.map((p) => attr(token(p)![1], 'cursor'))).toEqual(['0', '3', '6']);
      expect(pages.map((p) => attr(token(p)![1], 'completeListSize'))).toEqual(['8', '8', '8']);
      expect(token(pages[2]!)![2] ?? '').toBe('');
      expect(attr(token(pages[0]!)![1], 'expirationDate')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      // Deleted records: a header with status="deleted" and no metadata.
      for (const id of DELETED())
        expect(body).toMatch(new RegExp(`<record><header status="deleted"><identifier>${id}</identifier>[^]*?</header></record>`));
    }
  });

  it('orders by datestamp then id, so ListIdentifiers equals ListRecords', async () => {
    const a = (await harvest('ListIdentifiers', 'metadataPrefix=oai_dc')).flatMap(identifiers);
    const b = (await harvest('ListRecords', 'metadataPrefix=oai_dc')).flatMap(identifiers);
    expect(a).toEqual(b);
    expect(a.slice(0, 2)).toEqual([oaiId(ids.c1!), oaiId(ids.c2!)]);
  });

  it('answers a re-issued token with the same page (idempotent)', async () => {
    const first = await oai('verb=ListRecords&metadataPrefix=oai_dc');
    const tok = encodeURIComponent(token(first.text)![2]!);
    const strip = (s: string) => s.replace(/<responseDate>[^<]*<\/responseDate>/, '').replace(/expirationDate="[^"]*"/, '');
    expect(strip((await oai(`verb=ListRecords&resumptionToken=${tok}`)).text)).toBe(
      strip((await oai(`verb=ListRecords&resumptionToken=${tok}`)).text),
    );
  });

  it('stays consistent when records are inserted and updated during a harvest', async () => {
    const first = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc');
    const seen = identifiers(first.text);
    // Meanwhile: a record already sent and one not yet sent change, and a new one arrives.
    const now = new Date().toISOString();
    await stamp(ids.c1!, now);
    await stamp(ids.c6!, now);
    const extra = await t.collection(provB, { title: 'Arrived mid-harvest', modalities: ['CT'] });
    await stamp(extra.id, now);
    let tok = token(first.text)![2];
    const rest: string[] = [];
    while (tok) {
      const r = await oai(`verb=ListIdentifiers&resumptionToken=${encodeURIComponent(tok)}`);
      rest.push(...identifiers(r.text));
      tok = token(r.text)?.[2];
    }
    const got = [...seen, ...rest];
    expect(new Set(got).size).toBe(got.length);
    // Every unchanged record is still delivered; the changed ones wait for the next incremental harvest.
    for (const id of [...LIVE(), ...DELETED()].filter((i) => i !== oaiId(ids.c6!))) expect(got).toContain(id);
    expect(got).not.toContain(oaiId(extra.id));
    const next = (await harvest('ListIdentifiers', `metadataPrefix=oai_dc&from=${now.slice(0, 19)}Z`)).flatMap(identifiers);
    expect(next.sort()).toEqual([oaiId(ids.c1!), oaiId(ids.c6!), oaiId(extra.id)].sort());
    // restore
    await stamp(ids.c1!, '2024-03-01T10:00:00.100000Z');
    await stamp(ids.c6!, '2024-03-03T12:00:00.000000Z');
    await tdb.database.db.execute(sql`update collection set exposed_at = null, publication_state = 'draft' where id = ${extra.id}`);
  });
});

describe('selective harvesting', () => {
  const ids_ = async (args: string) => (await harvest('ListIdentifiers', `metadataPrefix=oai_dc&${args}`)).flatMap(identifiers).sort();

  it('treats from and until as inclusive at seconds and day granularity', async () => {
    expect(await ids_('from=2024-03-02T09:00:00Z&until=2024-03-02T09:00:00Z')).toEqual([oaiId(ids.c3!), oaiId(ids.c4!)].sort());
    expect(await ids_('from=2024-03-01&until=2024-03-01')).toEqual([oaiId(ids.c1!), oaiId(ids.c2!)].sort());
    expect(await ids_('until=2024-03-01T10:00:00Z')).toEqual([oaiId(ids.c1!)]);
    expect(await ids_('from=2024-03-05')).toEqual(DELETED().sort());
  });

  it('lists sets in one page with a colon hierarchy, and filters by a set and its descendants', async () => {
    const sets = await oai('verb=ListSets');
    expect(xsdProblems(sets.text)).toBe('');
    const specs = all(sets.text, /<setSpec>([^<]*)<\/setSpec>/g);
    expect(specs).toEqual(
      expect.arrayContaining(['provider', 'network', 'cancer-site', 'modality', 'provider:prov-a', 'modality:CT', 'cancer-site:breast']),
    );
    expect(token(sets.text)).toBeNull();
    // Nothing only a private collection has (XA, brain) is advertised.
    expect(specs).not.toContain('modality:XA');
    expect(specs).not.toContain('cancer-site:brain-cns');
    expect(await ids_('set=modality:CT')).toEqual([oaiId(ids.c1!), oaiId(ids.c3!), oaiId(ids.c6!), oaiId(ids.withdrawn!)].sort());
    expect(await ids_('set=provider')).toEqual([...LIVE(), ...DELETED()].sort());
    // The collection that turned private keeps only its provider set.
    expect(await ids_('set=modality:MG').catch(() => [])).toEqual([]);
    expect(await ids_('set=provider:prov-a')).toContain(oaiId(ids.turned!));
    expect(errorCodes((await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&set=modality:XA')).text)).toEqual(['noRecordsMatch']);
  });

  it('puts every setSpec of a record in its header', async () => {
    const r = await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(oaiId(ids.c3!))}`);
    expect(all(r.text, /<setSpec>([^<]*)<\/setSpec>/g).sort()).toEqual(
      ['modality:CT', 'modality:SEG', 'provider:prov-b', 'cancer-site:lung'].sort(),
    );
  });
});

describe('records', () => {
  it('GetRecord: deleted records have a header only; private and draft ones do not exist', async () => {
    for (const id of DELETED()) {
      const r = await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(id)}`);
      expect(xsdProblems(r.text)).toBe('');
      expect(r.text).toContain('<header status="deleted">');
      expect(r.text).not.toContain('<metadata>');
    }
    for (const key of ['secret', 'draft']) {
      for (const q of [
        `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(oaiId(ids[key]!))}`,
        `verb=ListMetadataFormats&identifier=${encodeURIComponent(oaiId(ids[key]!))}`,
      ])
        expect(errorCodes((await oai(q)).text)).toEqual(['idDoesNotExist']);
    }
  });

  it('oai_dc carries the §5.1 mapping, escaped and schema-valid', async () => {
    const r = await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(oaiId(ids.c4!))}`);
    expect(xsdProblems(r.text)).toBe('');
    expect(r.text).toContain('<dc:title xml:lang="en">Collection c4</dc:title>');
    expect(r.text).toContain('<dc:creator>Hospital B</dc:creator>');
    expect(r.text).toContain(`<dc:identifier>${ORIGIN}/collections/${encodeURIComponent(ids.c4!)}</dc:identifier>`);
    expect(r.text).toContain('&amp; &lt;tags&gt;');
    expect(r.text).toContain('<dc:subject>DICOM:MR Magnetic Resonance</dc:subject>');
    expect(r.text).toContain('<dc:type>Dataset</dc:type>');
    expect(r.text).toContain('<dc:rights>Access rights: ');
  });

  it('lists the formats with their schemas, and serves our XSDs', async () => {
    const r = await oai('verb=ListMetadataFormats');
    expect(xsdProblems(r.text)).toBe('');
    expect(all(r.text, /<metadataPrefix>([^<]*)<\/metadataPrefix>/g)).toEqual(['oai_dc', 'dcat_ap', 'dicom_miabis']);
    for (const schema of all(r.text, /<schema>([^<]*)<\/schema>/g).filter((s) => s.startsWith(ORIGIN))) {
      const res = await t.app.request(schema.slice(ORIGIN.length));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<xs:schema');
    }
  });

  it('redirects the web page link /oai/records/:id to the GetRecord URL', async () => {
    const res = await t.app.request(`/oai/records/${encodeURIComponent(ids.c1!)}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(
      `${BASE}?verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(oaiId(ids.c1!))}`,
    );
  });

  it('the native format carries the collection as JSON', async () => {
    const r = await oai(`verb=GetRecord&metadataPrefix=dicom_miabis&identifier=${encodeURIComponent(oaiId(ids.c4!))}`);
    expect(xsdProblems(r.text)).toBe('');
    const json = /<dm:json[^>]*>([^<]*)<\/dm:json>/
      .exec(r.text)![1]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    const doc = JSON.parse(json);
    expect(doc.id).toBe(ids.c4);
    expect(doc.description).toContain('“quotes” & <tags>');
  });
});

describe('incremental harvest', () => {
  it('after changes through the API returns exactly the changed and the deleted records', async () => {
    // No stamping here: the catalogue's own write path moves record_datestamp / exposed_at.
    const since = `${new Date(Date.now() - 1000).toISOString().slice(0, 19)}Z`;
    const admin = await t.user({ admin: true });
    const c2 = (await t.call('GET', `/api/v1/collections/${encodeURIComponent(ids.c2!)}`, { as: admin })).body;
    const put = await t.call('PUT', `/api/v1/collections/${encodeURIComponent(ids.c2!)}`, {
      as: admin,
      headers: { 'if-match': `"${c2.revision}"` },
      body: validCollection(provA, { title: 'Collection c2, edited', modalities: ['MR'], conditions: ['C50'], xnat: c2.xnat }),
    });
    expect(put.status).toBe(200);
    expect(
      (await t.call('POST', `/api/v1/collections/${encodeURIComponent(ids.c5!)}/withdraw`, { as: admin, body: { reason: 'retracted' } }))
        .status,
    ).toBe(200);
    // A new draft and a new private collection change nothing a harvester may see.
    await t.collection(provA, { title: 'New draft' }, { publish: false });
    await t.collection(provA, {
      title: 'New private',
      xnat: { instance: 'https://xnat.test.org', projectId: 'PRIV_NEW', visibility: 'private' },
    });
    const pages = await harvest('ListRecords', `metadataPrefix=oai_dc&from=${since}`);
    const body = pages.join('');
    expect(pages.flatMap(identifiers).sort()).toEqual([oaiId(ids.c2!), oaiId(ids.c5!)].sort());
    expect(body).toContain(`<header status="deleted"><identifier>${oaiId(ids.c5!)}</identifier>`);
  });
});
