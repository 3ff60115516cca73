/** What the catalogue's routes share: the ETag on versioned responses and the If-Match header they read. */
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import { etagOf, parseIfMatch } from './rules.js';

export const IF_MATCH = [
  { name: 'If-Match', required: true, description: 'ETag from the last read ("<revision>"); 412 if it changed since' },
];

/** The body as JSON, with its revision as the ETag when it has one. */
export const withEtag = (c: Context<AppEnv>, body: object, status: 200 | 201 = 200) => {
  if ('revision' in body && typeof body.revision === 'number') c.header('ETag', etagOf(body.revision));
  return c.json(body, status);
};

/** The request's If-Match as a revision (`*` for any, undefined when absent). */
export const ifMatch = (c: Context) => parseIfMatch(c.req.header('if-match'));
