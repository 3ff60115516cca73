/** OAI-PMH request rules (oai-pmh.md §1.3, §1.5, §1.7, §5.4), tokens and setSpec encoding, without a database. */
import { describe, expect, it } from 'vitest';
import {
  decodeToken,
  encodeToken,
  parseRequest,
  parseSetSpec,
  setSegment,
  unsetSegment,
  type TokenState,
} from '../../server/oai/protocol.js';
import { negotiate } from '../../server/dcat/serialize.js';
import { xmlAttr, xmlText } from '../../server/oai/xml.js';

const req = (q: string) => parseRequest([...new URLSearchParams(q)]);
const codes = (q: string) => {
  const r = req(q);
  return r.ok ? [] : r.errors.map((e) => e.code);
};

describe('verbs and arguments', () => {
  it('answers badVerb for a missing, unknown, lower-case or repeated verb', () => {
    for (const q of ['', 'junk', 'verb=Nonsense', 'verb=identify', 'verb=Identify&verb=Identify']) expect(codes(q)).toEqual(['badVerb']);
  });

  it('answers badArgument for unknown, repeated, missing or non-exclusive arguments', () => {
    for (const q of [
      'verb=Identify&foo=bar',
      'verb=ListMetadataFormats&metadataPrefix=oai_dc',
      'verb=ListRecords',
      'verb=ListRecords&metadataPrefix=',
      'verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc',
      'verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc',
      'verb=ListIdentifiers&resumptionToken=abc&until=2000-02-05',
      'verb=GetRecord&metadataPrefix=oai_dc',
      'verb=GetRecord&identifier=oai:x.org:1',
    ])
      expect(codes(q), q).toContain('badArgument');
  });

  it('accepts a resumption token alone and an empty optional value as absent', () => {
    expect(req('verb=ListRecords&resumptionToken=abc').ok).toBe(true);
    expect(req('verb=ListRecords&metadataPrefix=oai_dc&from=').ok).toBe(true);
  });
});

describe('dates', () => {
  it('rejects bad syntax, impossible dates, offsets, fractions and a missing Z', () => {
    for (const d of [
      'junk',
      '2024-13-45',
      '2024-02-30',
      '2024-05-05T10:00:00',
      '2024-05-05T10:00:00+01:00',
      '2024-05-05T10:00:00.123Z',
      '2024-05-05T25:00:00Z',
    ])
      expect(codes(`verb=ListRecords&metadataPrefix=oai_dc&from=${encodeURIComponent(d)}`), d).toEqual(['badArgument']);
  });

  it('rejects mixed granularity and from later than until', () => {
    expect(codes('verb=ListRecords&metadataPrefix=oai_dc&from=2002-02-05&until=2002-02-06T05:35:00Z')).toEqual(['badArgument']);
    expect(codes('verb=ListRecords&metadataPrefix=oai_dc&from=2002-02-06&until=2002-02-05')).toEqual(['badArgument']);
  });

  it('makes until inclusive at both granularities', () => {
    const day = req('verb=ListRecords&metadataPrefix=oai_dc&from=2024-05-05&until=2024-05-05');
    expect(day.ok && day.range).toEqual({ from: new Date('2024-05-05T00:00:00Z'), untilExclusive: new Date('2024-05-06T00:00:00Z') });
    const sec = req('verb=ListRecords&metadataPrefix=oai_dc&from=2024-05-05T10:00:00Z&until=2024-05-05T10:00:00Z');
    expect(sec.ok && sec.range).toEqual({ from: new Date('2024-05-05T10:00:00Z'), untilExclusive: new Date('2024-05-05T10:00:01Z') });
  });
});

describe('resumption tokens', () => {
  const t: TokenState = {
    v: 1,
    verb: 'ListRecords',
    prefix: 'oai_dc',
    until: '2024-01-01T00:00:00.000Z',
    after: ['2023-05-05T10:00:00.123456', 'p:collection:x'],
    total: 7,
    cursor: 3,
  };

  it('round-trip, URL-safe, and only for the verb that issued them', () => {
    const s = encodeToken(t);
    expect(s).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeToken(s, 'ListRecords')).toEqual(t);
    expect(decodeToken(s, 'ListIdentifiers')).toBeNull();
  });

  it('reject junk and tampered content', () => {
    expect(decodeToken('junk', 'ListRecords')).toBeNull();
    expect(decodeToken(Buffer.from('{"v":1}').toString('base64url'), 'ListRecords')).toBeNull();
    expect(decodeToken(encodeToken({ ...t, cursor: -1 }), 'ListRecords')).toBeNull();
  });
});

describe('setSpecs', () => {
  it('encode ids with colons and other characters reversibly, within the setSpec alphabet', () => {
    for (const id of ['nci-idc', 'a:b', 'x~y', 'ä b/c']) {
      const seg = setSegment(id);
      expect(seg).toMatch(/^([A-Za-z0-9\-_.!*'()]|~[0-9A-F]{2})+$/);
      expect(unsetSegment(seg)).toBe(id);
    }
    expect(parseSetSpec('provider:a~3Ab')).toEqual({ kind: 'provider', value: 'a:b' });
    expect(parseSetSpec('modality')).toEqual({ kind: 'modality' });
    expect(parseSetSpec('nonsense:x')).toBeNull();
    expect(parseSetSpec('provider:a:b')).toBeNull();
  });
});

describe('XML escaping', () => {
  it('escapes markup and replaces characters XML cannot carry', () => {
    expect(xmlText('a<b&c>\u0001')).toBe('a&lt;b&amp;c&gt;\uFFFD');
    expect(xmlAttr('"x"\n')).toBe('&quot;x&quot;&#10;');
  });
});

describe('content negotiation', () => {
  it('picks the syntax by ?format, then Accept with q-values, Turtle by default', () => {
    expect(negotiate(undefined, undefined)).toBe('turtle');
    expect(negotiate('application/rdf+xml', undefined)).toBe('rdfxml');
    expect(negotiate('text/turtle;q=0.5, application/ld+json', undefined)).toBe('jsonld');
    expect(negotiate('application/json', 'rdf')).toBe('rdfxml');
    expect(negotiate('image/png', undefined)).toBeNull();
    expect(negotiate(undefined, 'pdf')).toBeNull();
  });
});
