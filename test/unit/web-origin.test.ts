import type { RequestEvent } from '@sveltejs/kit';
import { afterEach, describe, expect, it } from 'vitest';
import { isCrossSiteForm, isHttps } from '../../web/src/lib/server/origin.js';

/** The web CSRF guard: web form actions reach the API with a bearer header, so this is their only check. */
const event = (method: string, headers: Record<string, string>, url = 'http://catalogue.example:5173/collections/new') =>
  ({ request: new Request(url, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body: 'x=1' }) }), url: new URL(url) }) as unknown as RequestEvent;
const FORM = 'application/x-www-form-urlencoded';

afterEach(() => {
  delete process.env.ORIGIN;
});

describe('isCrossSiteForm', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('refuses a %s form from another site', (method) => {
    expect(isCrossSiteForm(event(method, { 'content-type': FORM, origin: 'https://evil.example' }))).toBe(true);
  });
  it.each([FORM, 'multipart/form-data; boundary=x', 'multipart/form-data ; boundary=x', 'text/plain;charset=utf-8', 'Application/X-WWW-Form-Urlencoded'])(
    'treats %j as a form a foreign page can send',
    (type) => {
      expect(isCrossSiteForm(event('POST', { 'content-type': type, origin: 'https://evil.example' }))).toBe(true);
    },
  );
  it('lets a same-origin form through', () => {
    expect(isCrossSiteForm(event('POST', { 'content-type': FORM, origin: 'http://catalogue.example:5173' }))).toBe(false);
  });
  it('compares host and port, not just the host name', () => {
    expect(isCrossSiteForm(event('POST', { 'content-type': FORM, origin: 'http://catalogue.example:8080' }))).toBe(true);
  });
  it('falls back to the Referer when the browser sends no Origin', () => {
    expect(isCrossSiteForm(event('POST', { 'content-type': FORM, referer: 'http://catalogue.example:5173/collections' }))).toBe(false);
    expect(isCrossSiteForm(event('POST', { 'content-type': FORM, referer: 'https://evil.example/page' }))).toBe(true);
  });
  it('prefers the Origin over a same-site Referer', () => {
    const e = event('POST', { 'content-type': FORM, origin: 'https://evil.example', referer: 'http://catalogue.example:5173/x' });
    expect(isCrossSiteForm(e)).toBe(true);
  });
  it('refuses a form with neither Origin nor Referer, or with an unparseable one', () => {
    expect(isCrossSiteForm(event('POST', { 'content-type': FORM }))).toBe(true);
    expect(isCrossSiteForm(event('POST', { 'content-type': FORM, origin: 'null' }))).toBe(true);
  });
  it('trusts the public ORIGIN behind a proxy that rewrites the host', () => {
    process.env.ORIGIN = 'https://catalogue.example.org';
    const behindProxy = 'http://127.0.0.1:3000/collections/new';
    expect(isCrossSiteForm(event('POST', { 'content-type': FORM, origin: 'https://catalogue.example.org' }, behindProxy))).toBe(false);
    expect(isCrossSiteForm(event('POST', { 'content-type': FORM, origin: 'https://evil.example' }, behindProxy))).toBe(true);
  });
  it('ignores reads and non-form bodies (those cannot be sent cross-site without CORS)', () => {
    expect(isCrossSiteForm(event('GET', { origin: 'https://evil.example' }))).toBe(false);
    expect(isCrossSiteForm(event('GET', { 'content-type': FORM, origin: 'https://evil.example' }))).toBe(false);
    expect(isCrossSiteForm(event('OPTIONS', { 'content-type': FORM, origin: 'https://evil.example' }))).toBe(false);
    expect(isCrossSiteForm(event('POST', { 'content-type': 'application/json', origin: 'https://evil.example' }))).toBe(false);
  });
});

describe('isHttps', () => {
  it('reads the scheme the browser used from Origin, then Referer', () => {
    expect(isHttps(event('POST', { origin: 'https://c.example' }))).toBe(true);
    expect(isHttps(event('POST', { origin: 'http://c.example' }))).toBe(false);
    expect(isHttps(event('GET', { referer: 'https://c.example/x' }))).toBe(true);
    expect(isHttps(event('GET', { referer: 'http://c.example/x', 'x-forwarded-proto': 'https' }))).toBe(false);
  });
  it('falls back to the configured ORIGIN, then to the first X-Forwarded-Proto', () => {
    expect(isHttps(event('GET', {}))).toBe(false);
    expect(isHttps(event('GET', { 'x-forwarded-proto': 'https, http' }))).toBe(true);
    expect(isHttps(event('GET', { 'x-forwarded-proto': 'https , http' }))).toBe(true);
    expect(isHttps(event('GET', { 'x-forwarded-proto': 'http, https' }))).toBe(false);
    process.env.ORIGIN = 'https://catalogue.example.org';
    expect(isHttps(event('GET', { 'x-forwarded-proto': 'http' }))).toBe(true);
  });
  it('does not trust the request URL (adapter-node assumes https)', () => {
    expect(isHttps(event('GET', {}, 'https://c.example/x'))).toBe(false);
  });
});
