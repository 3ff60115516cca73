/**
 * Table test: wordings as real catalogues write them (TCIA, IDC, EuCanImage, BBMRI Directory, EUCAIM, Zenodo,
 * data.europa.eu), each with its source, and what the catalogue must store for it. `~` = kept as free text;
 * `group:<slug>` = cancer-site group without an ICD-10 code; `non-cancer` / `unspecified` = cancer-type outcome.
 * Optional `bodyParts` is the record's body-part context for cancer types.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  normaliseAccessRights,
  normaliseBodyPart,
  normaliseCancerType,
  normaliseDuo,
  normaliseLicence,
  normaliseModality,
  normaliseSex,
  normaliseSpecies,
  normaliseStatus,
  normaliseSupportingData,
} from '../../schemas/vocab/index.js';

interface Row {
  kind: string;
  value: string;
  expected: string;
  source: string;
  bodyParts?: string[];
}

const rows: Row[] = JSON.parse(readFileSync(new URL('../fixtures/real-wordings.json', import.meta.url), 'utf8'));
const SOURCES = ['TCIA', 'IDC', 'EuCanImage', 'BBMRI Directory', 'EUCAIM', 'Zenodo', 'data.europa.eu'];

const codes = (cs: { code?: string }[]) => cs.map((c) => c.code ?? '~').join('+');
const one = (c: { code?: string } | undefined) => c?.code ?? '~';

function actual(r: Row): string {
  switch (r.kind) {
    case 'modality':
      return codes(normaliseModality(r.value));
    case 'bodyPart':
      return codes(normaliseBodyPart(r.value));
    case 'species':
      return codes(normaliseSpecies(r.value));
    case 'supportingData':
      return codes(normaliseSupportingData(r.value));
    case 'sex':
      return codes(normaliseSex(r.value));
    case 'accessRights':
      return one(normaliseAccessRights(r.value));
    case 'status':
      return one(normaliseStatus(r.value));
    case 'licence':
      return one(normaliseLicence(r.value));
    case 'duo':
      return one(normaliseDuo(r.value));
    case 'cancerType': {
      const ct = normaliseCancerType(r.value, r.bodyParts ? { bodyParts: r.bodyParts } : undefined);
      if (ct.code) return ct.code;
      if (ct.match === 'site-group') return `group:${ct.siteGroups.join('+')}`;
      return ct.match === 'unmapped' ? '~' : ct.match;
    }
    default:
      throw new Error(`unknown kind ${r.kind}`);
  }
}

describe('real-world wordings', () => {
  it('has at least 300 wordings, each with a known source', () => {
    expect(rows.length).toBeGreaterThanOrEqual(300);
    for (const r of rows) expect(SOURCES, `${r.value}`).toContain(r.source);
  });

  it.each(rows.map((r) => [r.kind, r.value, r.bodyParts?.join('+') ?? '', r.expected, r] as const))(
    '%s %j (context %s) → %s',
    (_k, _v, _c, expected, r) => {
      expect(actual(r)).toBe(expected);
    },
  );
});
