/**
 * Same-origin checks for form posts, and whether the browser talks https to us. adapter-node assumes
 * https unless ORIGIN / PROTOCOL_HEADER are set, so `event.url.protocol` cannot be trusted for that.
 */
import type { RequestEvent } from '@sveltejs/kit';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

const hostOf = (value: string | null) => {
  if (!value) return undefined;
  try {
    return new URL(value).host;
  } catch {
    return undefined;
  }
};

/** A cross-site form submission (CSRF): a state-changing form post whose Origin (or Referer) is another host. */
export function isCrossSiteForm(event: RequestEvent): boolean {
  const { request } = event;
  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) return false;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) return false;
  const from = hostOf(request.headers.get('origin')) ?? hostOf(request.headers.get('referer'));
  const trusted = process.env.ORIGIN ? hostOf(process.env.ORIGIN) : undefined;
  return !from || (from !== event.url.host && from !== trusted);
}

/** Did the browser reach us over https? (Origin/Referer of the request, or a proxy's X-Forwarded-Proto.) */
export function isHttps(event: RequestEvent): boolean {
  const h = event.request.headers;
  const seen = h.get('origin') ?? h.get('referer') ?? process.env.ORIGIN ?? '';
  if (seen) return seen.startsWith('https:');
  return (h.get('x-forwarded-proto') ?? '').split(',')[0]!.trim() === 'https';
}
