/** The shape of a spot-check and the runs it names (see ./index.ts). */
export interface Run {
  files: string[];
  /** vitest -t pattern (a regular expression over "describe › test" names). */
  filter?: string;
  /** The browser tier: serves the built web app, so web/src mutations need a rebuild first. */
  browser?: boolean;
}

export interface Check {
  id: string;
  file: string;
  /** What the replacement does, for the table. */
  what: string;
  find: string;
  replace: string;
  /** Which occurrence of `find` (0-based) when the text occurs more than once. */
  nth?: number;
  runs: Run[];
}

export const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The API matrix, only the entries of these routes ("METHOD /path/{param}"). */
export const matrix = (...routes: string[]): Run => ({
  files: ['test/integration/authz-matrix.test.ts'],
  filter: routes.map((r) => `${esc(r)}:`).join('|'),
});
export const unit = (...names: string[]): Run => ({ files: names.map((n) => `test/unit/${n}.test.ts`) });
export const integ = (...names: string[]): Run => ({ files: names.map((n) => `test/integration/${n}.test.ts`) });
export const browser = (name: string, filter?: string): Run => ({ files: [`test/browser/${name}.test.ts`], filter, browser: true });

export const C = '/api/v1/collections';
export const CID = `${C}/{id}`;
export const R = '/api/v1/requests';
export const RID = `${R}/{id}`;
export const ITEM = `${RID}/items/{itemId}`;
export const X = '/api/v1/admin/xnat';

export const POLICY = 'server/policy/rules.ts';
export const COLL = 'server/catalogue/collections.ts';
export const REQ = 'server/access/requests.ts';
export const DEC = 'server/access/decisions.ts';
export const INBOX = 'server/access/inbox.ts';
export const LOAD = 'server/access/load.ts';
export const MSG = 'server/access/messages.ts';
export const INST = 'server/xnat/instances.ts';
export const GRANTS = 'server/xnat/grants.ts';
