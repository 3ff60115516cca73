/**
 * Licences: any of the ways catalogues write one (SPDX id, short or long name, URL, EU authority URI, the
 * IDC triple) → an SPDX coding from the licences we ship; anything else stays free text.
 */
import type { Coding } from '../common.js';
import { LICENCES } from './catalogue-lists.js';
import { SYSTEM } from './systems.js';
import { coded, freeText, tidy } from './text.js';

/** Licence input: an SPDX id, a short name ("CC BY 4.0"), a long name, a URL, or the IDC triple. */
export type LicenceInput = string | { shortName?: string; longName?: string; url?: string };

const LICENCE_BY_ID = new Map(LICENCES.map((l) => [l.code.toUpperCase(), l] as const));

function licenceFromText(s: string): string | undefined {
  const t = tidy(s).toLowerCase();
  if (!t) return undefined;
  const direct = LICENCE_BY_ID.get(t.toUpperCase());
  if (direct) return direct.code;
  const eu = /authority\/licence\/(cc0|cc_by(?:_?(?:nc|sa|nd))*)_(\d)_(\d)\b|authority\/licence\/(cc0)\b/.exec(t);
  if (eu) {
    if (eu[1] === 'cc0' || eu[4] === 'cc0') return 'CC0-1.0';
    const kinds = ['by', ...['nc', 'sa', 'nd'].filter((k) => (eu[1] ?? '').slice(5).includes(k))];
    const code = ccCode(kinds.join('-'), `${eu[2]}.${eu[3]}`);
    if (code) return code;
  }
  const spdx = /spdx\.org\/licenses\/([a-z0-9.+-]+?)(?:\.html|\.json)?\/?$/.exec(t)?.[1];
  if (spdx && LICENCE_BY_ID.has(spdx.toUpperCase())) return LICENCE_BY_ID.get(spdx.toUpperCase())?.code;
  const byUrl = LICENCES.find((l) =>
    t
      .replace(/^http:/, 'https:')
      .replace(/\/?$/, '/')
      .startsWith(l.url.toLowerCase()),
  );
  if (byUrl) return byUrl.code;
  const url = /creativecommons\.org\/licenses\/([a-z-]+)\/(\d\.\d)/.exec(t);
  if (url) return ccCode(url[1] ?? '', url[2] ?? '');
  if (/\bcc0\b|cc[\s-]?zero|publicdomain\/zero|public domain dedication/.test(t) && !/odc|open data commons/.test(t)) return 'CC0-1.0';
  const short = /\bcc[\s-]?(by(?:[\s-](?:nc|sa|nd))*)[\s-]*(?:v(?:ersion)?\s*)?(\d\.\d)\b/.exec(t);
  if (short) return ccCode(short[1] ?? '', short[2] ?? '');
  if (/open database licen[cs]e|\bodbl\b/.test(t)) return 'ODbL-1.0';
  if (/public domain dedication and licen[cs]e|\bpddl\b/.test(t)) return 'PDDL-1.0';
  const spaced = /\bcc[\s-]?by(?:[\s-]?(nc|sa|nd)){0,2}/.exec(t.replace(/[_]/g, '-'));
  const version = /(\d\.\d)/.exec(t)?.[1];
  if (spaced && version) {
    const kinds = ['by', ...['nc', 'sa', 'nd'].filter((k) => new RegExp(`[\\s-]${k}\\b`).test(spaced[0]))];
    const code = ccCode(kinds.join('-'), version);
    if (code) return code;
  }
  if (/creative commons/.test(t) && /attribution/.test(t)) {
    const v = /(\d\.\d)/.exec(t)?.[1] ?? '';
    const parts = ['by'];
    if (/non[- ]?commercial|noncommercial/.test(t)) parts.push('nc');
    if (/share[- ]?alike/.test(t)) parts.push('sa');
    if (/no[- ]?deriv/.test(t)) parts.push('nd');
    return ccCode(parts.join('-'), v);
  }
  return undefined;
}

function ccCode(kind: string, version: string): string | undefined {
  const code = `CC-${kind.replace(/\s+/g, '-').toUpperCase()}-${version}`;
  return LICENCE_BY_ID.has(code.toUpperCase()) ? LICENCE_BY_ID.get(code.toUpperCase())?.code : undefined;
}

/**
 * Licence → SPDX coding (CC BY 4.0, CC BY 3.0, CC BY-NC 4.0, CC0, …). Anything else — the TCIA restricted
 * licence, NLM terms and conditions, data-use agreements — stays free text (long name, else short name, else
 * URL). Blank input → undefined.
 */
export function normaliseLicence(input: LicenceInput): Coding | undefined {
  const fields = typeof input === 'string' ? [input] : [input?.shortName, input?.url, input?.longName];
  for (const f of fields) {
    const code = typeof f === 'string' ? licenceFromText(f) : undefined;
    const term = code ? LICENCE_BY_ID.get(code.toUpperCase()) : undefined;
    if (term) return coded(SYSTEM.licence, term);
  }
  const text = typeof input === 'string' ? input : (input?.longName ?? input?.shortName ?? input?.url ?? '');
  return typeof text === 'string' && text.trim() ? freeText(text) : undefined;
}

/** Canonical URL of an SPDX licence id we ship, or undefined. */
export function licenceUrl(spdxId: string): string | undefined {
  return typeof spdxId === 'string' ? LICENCE_BY_ID.get(spdxId.trim().toUpperCase())?.url : undefined;
}
