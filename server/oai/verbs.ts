/**
 * The six OAI-PMH verbs. Each request is checked (protocol.ts), answered from keyset queries
 * (queries.ts) and written as XML: errors are OAI `<error>` elements in an HTTP 200. A response is
 * a lazy sequence of pieces; ListRecords renders each record only when the response stream asks for
 * it, so no page-sized string is ever built (those land in V8's large-object space and raised the
 * server's peak RSS during a harvest by tens of MB, docs/adr/0008-harvesting.md).
 */
import type { DbOrTx } from '../db/client.js';
import { FORMATS, formatOf, type MetadataFormat } from './formats/index.js';
import { payloadContext } from './payload-context.js';
import {
  datestamp,
  decodeToken,
  encodeToken,
  parseRequest,
  parseSetSpec,
  SET_KINDS,
  type Args,
  type DateRange,
  type OaiError,
  type SetFilter,
  type TokenState,
  type Verb,
} from './protocol.js';
import * as q from './queries.js';
import {
  baseUrl,
  collectionIdOf,
  headerDatestamp,
  isDeleted,
  oaiIdentifier,
  SET_ROOT_NAMES,
  setName,
  setSpecsOf,
  spec,
  type Repository,
} from './records.js';
import { close, el, node, open, XML_DECL } from './xml.js';

export interface OaiOptions {
  db: DbOrTx;
  repo: Repository;
  pageSize: number;
  now?: () => Date;
}

const OAI_NS = 'http://www.openarchives.org/OAI/2.0/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const TOKEN_LIFETIME_MS = 24 * 3600 * 1000;

class OaiFailure extends Error {
  constructor(readonly errors: OaiError[]) {
    super(errors.map((e) => e.code).join(','));
  }
}
const failWith = (code: OaiError['code'], message: string) => new OaiFailure([{ code, message }]);

/** Pieces of one XML document, in order; joined, they are the response. */
export type XmlPieces = Iterable<string>;

/** Answer one request given as key/value pairs (repeats kept). Always a complete XML document. */
export async function answer(opts: OaiOptions, pairs: [string, string][]): Promise<XmlPieces> {
  const started = (opts.now ?? (() => new Date()))();
  const parsed = parseRequest(pairs);
  if (!parsed.ok) return envelope(opts.repo, started, undefined, errors(parsed.errors));
  const echo = { verb: parsed.verb, ...parsed.args };
  try {
    const body = await dispatch(opts, parsed.verb, parsed.args, parsed.range, started);
    return envelope(opts.repo, started, echo, body);
  } catch (e) {
    if (e instanceof OaiFailure) return envelope(opts.repo, started, echo, errors(e.errors));
    throw e;
  }
}

function* envelope(repo: Repository, at: Date, echo: Record<string, string | undefined> | undefined, body: string | XmlPieces) {
  yield (
    XML_DECL +
    open('OAI-PMH', {
      xmlns: OAI_NS,
      'xmlns:xsi': XSI,
      'xsi:schemaLocation': `${OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd`,
    }) +
    el('responseDate', datestamp(at)) +
    el('request', baseUrl(repo), echo)
  );
  if (typeof body === 'string') yield body;
  else yield* body;
  yield close('OAI-PMH');
}

const errors = (list: OaiError[]) => list.map((e) => el('error', e.message, { code: e.code })).join('');

async function dispatch(opts: OaiOptions, verb: Verb, args: Args, range: DateRange, started: Date): Promise<string | XmlPieces> {
  switch (verb) {
    case 'Identify':
      return identify(opts);
    case 'ListMetadataFormats':
      return listMetadataFormats(opts, args);
    case 'ListSets':
      if (args.resumptionToken) throw failWith('badResumptionToken', 'This repository issues no ListSets resumption tokens.');
      return listSets(opts);
    case 'GetRecord':
      return getRecord(opts, args);
    case 'ListIdentifiers':
    case 'ListRecords':
      return list(opts, verb, args, range, started);
  }
}

async function identify(opts: OaiOptions): Promise<string> {
  const { repo } = opts;
  const earliest = (await q.earliestDatestamp(opts.db)) ?? new Date(Date.UTC(2000, 0, 1));
  const idNs = 'http://www.openarchives.org/OAI/2.0/oai-identifier';
  return node('Identify', [
    el('repositoryName', repo.name),
    el('baseURL', baseUrl(repo)),
    el('protocolVersion', '2.0'),
    el('adminEmail', repo.adminEmail),
    el('earliestDatestamp', datestamp(new Date(Math.floor(earliest.getTime() / 1000) * 1000))),
    el('deletedRecord', 'persistent'),
    el('granularity', 'YYYY-MM-DDThh:mm:ssZ'),
    node(
      'description',
      node(
        'oai-identifier',
        [
          el('scheme', 'oai'),
          el('repositoryIdentifier', repo.repositoryId),
          el('delimiter', ':'),
          el('sampleIdentifier', oaiIdentifier(repo, 'provider-id:collection:project_1')),
        ],
        { xmlns: idNs, 'xmlns:xsi': XSI, 'xsi:schemaLocation': `${idNs} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd` },
      ),
    ),
  ]);
}

async function findRecord(opts: OaiOptions, identifier: string) {
  const id = collectionIdOf(opts.repo, identifier);
  const row = id ? await q.harvestableRecord(opts.db, id) : undefined;
  if (!row) throw failWith('idDoesNotExist', 'No record with this identifier.');
  return row;
}

async function listMetadataFormats(opts: OaiOptions, args: Args): Promise<string> {
  // Every format is available for every item (deleted items included, as headers).
  if (args.identifier) await findRecord(opts, args.identifier);
  return node(
    'ListMetadataFormats',
    FORMATS.map((f) =>
      node('metadataFormat', [el('metadataPrefix', f.prefix), el('schema', f.schema(opts.repo)), el('metadataNamespace', f.namespace)]),
    ),
  );
}

async function listSets(opts: OaiOptions): Promise<string> {
  const members = await q.setMembers(opts.db);
  const sets = SET_KINDS.map((k) => node('set', [el('setSpec', k), el('setName', SET_ROOT_NAMES[k])]));
  const children = members
    .map((m) => ({ spec: spec(m.kind as SetFilter['kind'], m.value), name: setName(m.kind as SetFilter['kind'], m.value, m.name) }))
    .sort((a, b) => (a.spec < b.spec ? -1 : a.spec > b.spec ? 1 : 0));
  for (const c of children) sets.push(node('set', [el('setSpec', c.spec), el('setName', c.name)]));
  return node('ListSets', sets);
}

function header(opts: OaiOptions, h: q.HeaderRow): string {
  const deleted = isDeleted(h);
  return node(
    'header',
    [
      el('identifier', oaiIdentifier(opts.repo, h.id)),
      el('datestamp', headerDatestamp(h.ds)),
      ...setSpecsOf(h).map((s) => el('setSpec', s)),
    ],
    deleted ? { status: 'deleted' } : undefined,
  );
}

/** Records rendered one at a time as they are consumed; each row is released once written. */
function* records(opts: OaiOptions, rows: (q.RecordRow | undefined)[], format: MetadataFormat): Generator<string> {
  const ctx = payloadContext(
    opts.repo,
    (rows as q.RecordRow[]).filter((r) => !isDeleted(r)),
  );
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    rows[i] = undefined;
    yield node('record', [header(opts, r), isDeleted(r) ? '' : node('metadata', format.render(r, ctx))]);
  }
}

async function getRecord(opts: OaiOptions, args: Args): Promise<string> {
  const format = formatOf(args.metadataPrefix!);
  if (!format) throw failWith('cannotDisseminateFormat', 'This metadataPrefix is not supported.');
  const row = await findRecord(opts, args.identifier!);
  return node('GetRecord', [...records(opts, [row], format)]);
}

async function list(
  opts: OaiOptions,
  verb: 'ListIdentifiers' | 'ListRecords',
  args: Args,
  range: DateRange,
  started: Date,
): Promise<string | XmlPieces> {
  let state: Omit<TokenState, 'after'> & { after?: TokenState['after'] };
  if (args.resumptionToken) {
    const t = decodeToken(args.resumptionToken, verb);
    if (!t) throw failWith('badResumptionToken', 'The resumptionToken is invalid, or was issued for another verb.');
    state = t;
  } else {
    if (!formatOf(args.metadataPrefix!)) throw failWith('cannotDisseminateFormat', 'This metadataPrefix is not supported.');
    // Frozen upper bound: records changed after the harvest began wait for the next harvest.
    const until = range.untilExclusive && range.untilExclusive < started ? range.untilExclusive : started;
    state = {
      v: 1,
      verb,
      prefix: args.metadataPrefix!,
      from: range.from?.toISOString(),
      until: until.toISOString(),
      set: args.set,
      total: 0,
      cursor: 0,
    };
  }
  const format = formatOf(state.prefix);
  if (!format) throw failWith('badResumptionToken', 'The resumptionToken names an unknown metadataPrefix.');
  let set: SetFilter | undefined;
  if (state.set !== undefined) {
    const parsed = parseSetSpec(state.set);
    if (!parsed) throw failWith('noRecordsMatch', 'No such set.');
    set = parsed;
  }
  const query: q.HarvestQuery = {
    from: state.from ? new Date(state.from) : undefined,
    untilExclusive: new Date(state.until),
    set,
    after: state.after,
  };
  if (!args.resumptionToken) state.total = await q.countHarvest(opts.db, query);

  const limit = opts.pageSize;
  const rows = verb === 'ListRecords' ? await q.recordPage(opts.db, query, limit + 1) : await q.headerPage(opts.db, query, limit + 1);
  if (!rows.length) throw failWith('noRecordsMatch', 'No records match this request.');
  const page = rows.slice(0, limit);
  const more = rows.length > limit;

  let token = '';
  const attrs = { completeListSize: String(Math.max(state.total, state.cursor + page.length)), cursor: String(state.cursor) };
  if (more) {
    const last = page[page.length - 1]!;
    const next: TokenState = { ...state, after: [last.ds, last.id], cursor: state.cursor + page.length };
    token = el('resumptionToken', encodeToken(next), {
      ...attrs,
      expirationDate: datestamp(new Date(started.getTime() + TOKEN_LIFETIME_MS)),
    });
  } else if (args.resumptionToken) {
    // The last page of a multi-page list carries an empty token.
    token = node('resumptionToken', '', attrs);
  }
  if (verb === 'ListIdentifiers') return node(verb, [...page.map((h) => header(opts, h)), token]);
  return (function* () {
    yield open(verb);
    yield* records(opts, page as q.RecordRow[], format);
    yield token + close(verb);
  })();
}
