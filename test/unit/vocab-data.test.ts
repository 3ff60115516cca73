/**
 * Runs the normalisers over every distinct value of the real collection lists copied into seed/data
 * (IDC, IDC ETL, TCIA, EuCanImage) and checks nothing throws and no text is lost.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Coding } from '../../schemas/common.js';
import {
  normaliseBodyPart,
  normaliseCancerTypes,
  normaliseModality,
  normaliseSpecies,
  normaliseStatus,
  normaliseSupportingData,
  splitList,
} from '../../schemas/vocab/index.js';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../seed/data');

type Row = Record<string, unknown>;
const load = (f: string): Row[] => JSON.parse(readFileSync(path.join(dataDir, f), 'utf8')) as Row[];
const strs = (rows: Row[], key: string): string[] =>
  rows.flatMap((r) => {
    const v = r[key];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
  });
const distinct = (xs: string[]) => [...new Set(xs)].sort();

const idc = load('idc_collections.json');
const etl = load('idc_only_collections_etl_flow.json');
const tcia = load('tcia_collections.json');
const eci = load('eucanimage_collections.json');

/** Labels the normalisers may emit that are not substrings of the input. */
const FIXED_LABELS = new Set(['Secondary Capture (SC)', 'Phantom']);

/** Every item of the raw value is represented: codings exist and free-text labels come from the input. */
function expectNoTextLost(raw: string, out: Coding[]) {
  if (splitList(raw).length === 0) {
    expect(out).toEqual([]);
    return;
  }
  expect(out.length, raw).toBeGreaterThan(0);
  for (const c of out) {
    if (c.code !== undefined) {
      expect(c.system, raw).toBeTruthy();
      continue;
    }
    expect(c.label.trim().length, raw).toBeGreaterThan(0);
    const ok = FIXED_LABELS.has(c.label) || raw.toLowerCase().includes(c.label.toLowerCase());
    expect(ok, `free text "${c.label}" not from "${raw}"`).toBe(true);
  }
}

describe('normalisers on the real seed data', () => {
  const modalityValues = distinct([
    ...strs([...idc, ...tcia], 'image_types_list'),
    ...strs([...idc, ...tcia], 'image_types'),
    ...strs(eci, 'imaging_modalities'),
  ]);
  const locationValues = distinct([
    ...strs([...idc, ...tcia], 'location_list'),
    ...strs([...idc, ...tcia], 'location'),
    ...strs(etl, 'TumorLocations'),
    ...strs(eci, 'body_parts'),
  ]);
  const cancerValues = distinct([
    ...strs([...idc, ...tcia], 'cancer_type_list'),
    ...strs([...idc, ...tcia], 'cancer_type'),
    ...strs(etl, 'CancerTypes'),
  ]);

  it('found the data files', () => {
    expect(idc.length).toBeGreaterThan(100);
    expect(modalityValues.length).toBeGreaterThan(20);
  });

  it('image types: MRI / PET / Pathology arrive as MR / PT / SM; nothing lost', () => {
    for (const v of modalityValues) expectNoTextLost(v, normaliseModality(v));
    const coded = (raw: string) => normaliseModality(raw).map((c) => c.code);
    expect(coded('MRI')).toEqual(['MR']);
    expect(coded('PET')).toEqual(['PT']);
    expect(coded('Pathology')).toEqual(['SM']);
    const free = modalityValues.flatMap((v) => normaliseModality(v)).filter((c) => !c.code);
    expect(distinct(free.map((c) => c.label))).toEqual(['Clinical', 'FUSION', 'High-dimensional CODEX images', 'Secondary Capture (SC)']);
  });

  it('locations: nothing lost, common organs coded', () => {
    for (const v of locationValues) expectNoTextLost(v, normaliseBodyPart(v));
    const all = locationValues.flatMap((v) => normaliseBodyPart(v));
    const codedShare = all.filter((c) => c.code).length / all.length;
    expect(codedShare).toBeGreaterThan(0.75);
  });

  it('cancer types: every value keeps its text', () => {
    for (const v of cancerValues) {
      const list = normaliseCancerTypes(v);
      expect(list.map((c) => c.text)).toEqual(splitList(v).filter((x, i, a) => a.indexOf(x) === i));
      for (const ct of list) {
        expect(ct.label.length).toBeGreaterThan(0);
        if (ct.code) expect(ct.system).toBe('ICD-10');
        else expect(ct.label).toBe(ct.text);
      }
    }
  });

  it('coverage: most distinct IDC cancer types get an ICD-10 code', () => {
    const coverage = (label: string, values: string[]) => {
      const results = distinct(values).flatMap((t) => normaliseCancerTypes(t));
      const cancer = results.filter((r) => r.match !== 'non-cancer' && r.match !== 'unspecified');
      const coded = cancer.filter((r) => r.code !== undefined);
      const share = coded.length / cancer.length;
      const uncoded = cancer.filter((r) => r.code === undefined).map((r) => `${r.text} [${r.match}]`);
      console.log(
        `ICD-10 coverage, ${label}: ${coded.length}/${cancer.length} distinct values = ${(share * 100).toFixed(1)}% ` +
          `(${results.length - cancer.length} non-cancer/unspecified excluded)\n  not coded: ${uncoded.join('; ')}`,
      );
      return share;
    };
    const idcTypes = strs(idc, 'cancer_type_list');
    const etlTypes = strs(etl, 'CancerTypes').flatMap(splitList);
    // The IDC API list (idc_collections.json) is the reference; the ETL file adds a pan-cancer list of bare
    // histologies ("Adenocarcinoma", "Leiomyosarcoma", …) that have no safe site code.
    expect(coverage('IDC collections', idcTypes)).toBeGreaterThanOrEqual(0.7);
    expect(coverage('IDC collections + IDC ETL', [...idcTypes, ...etlTypes])).toBeGreaterThanOrEqual(0.65);
    expect(coverage('TCIA', strs(tcia, 'cancer_type_list'))).toBeGreaterThanOrEqual(0.7);
  });

  it('species, supporting data and status', () => {
    for (const v of distinct([...strs([...idc, ...tcia], 'species'), ...strs(etl, 'Species')])) {
      const out = normaliseSpecies(v);
      expectNoTextLost(v, out);
      for (const c of out) expect(c.code, v).toBeDefined();
    }
    const supporting = distinct([
      ...strs([...idc, ...tcia], 'supporting_data_list'),
      ...strs([...idc, ...tcia], 'supporting_data'),
      ...strs(etl, 'SupportingData'),
    ]);
    for (const v of supporting) {
      const out = normaliseSupportingData(v);
      expectNoTextLost(v, out);
      for (const c of out) expect(c.code, v).toBeDefined();
    }
    for (const v of distinct([...strs(tcia, 'status'), ...strs(etl, 'Status')])) {
      expect(normaliseStatus(v)?.code, v).toMatch(/^(Active|Ended)$/);
    }
  });
});
