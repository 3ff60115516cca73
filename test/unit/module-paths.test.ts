import { describe, expect, it } from 'vitest';
import { CORE_PATHS, servedByApi } from '../../server/http/module.js';

describe('servedByApi: which requests `npm start` hands to the API app rather than the web app', () => {
  const prefixes = [...CORE_PATHS, '/oai', '/metrics', '/.well-known/'];

  it.each([
    '/api',
    '/api/v1/collections?limit=5',
    '/healthz',
    '/readyz',
    '/oai',
    '/oai?verb=Identify',
    '/metrics',
    '/.well-known/openid-configuration',
    '/.well-known/',
  ])('API: %s', (url) => expect(servedByApi(url, prefixes)).toBe(true));

  it.each(['/', '/search?q=lung', '/collections/x', '/apis', '/oaisis', '/metrics-dashboard', '/.well-known', '/healthzz'])(
    'web app: %s',
    (url) => expect(servedByApi(url, prefixes)).toBe(false),
  );

  it('hands a module path to the web app when no module claims it', () => {
    expect(servedByApi('/oai?verb=Identify', CORE_PATHS)).toBe(false);
  });
});
