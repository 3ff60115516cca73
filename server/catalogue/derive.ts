/**
 * Values computed from a collection's fields, never entered by people: facet helpers for search
 * (cancer-site groups, ICD-10 ancestors, body regions, segmentation flags, order of magnitude).
 */
import type { CollectionFields, DerivedFacets } from '../../schemas/collection.js';
import { bodyRegionsFor, cancerSiteGroupsFor, icd10Ancestors, normaliseCancerType, SYSTEM } from '../../schemas/vocab/index.js';

const SEGMENTATION_MODALITIES = new Set(['SEG', 'RTSTRUCT']);
const ANNOTATION_MODALITIES = new Set(['SEG', 'RTSTRUCT', 'SR', 'ANN', 'PR', 'KO']);

export function deriveFacets(f: CollectionFields): DerivedFacets {
  const icd10 = unique(f.conditions.filter((c) => c.system === SYSTEM.icd10 && c.code).map((c) => c.code!.slice(0, 3)));
  const modalityCodes = f.modalities.map((m) => m.code).filter((c): c is string => !!c);
  const datasetTypes = new Set(f.imageDatasetTypes.map((t) => t.code));
  const hasSegmentation = modalityCodes.some((m) => SEGMENTATION_MODALITIES.has(m)) || datasetTypes.has('segmentation');
  const hasAnnotations =
    hasSegmentation ||
    modalityCodes.some((m) => ANNOTATION_MODALITIES.has(m)) ||
    datasetTypes.has('annotated') ||
    datasetTypes.has('structured-report');
  return {
    icd10,
    icd10Ancestors: unique(icd10.flatMap((c) => icd10Ancestors(c))),
    // Free-text conditions ("Colorectal Cancer") still name a site group when the wording does.
    cancerSiteGroups: unique([
      ...icd10.flatMap((c) => cancerSiteGroupsFor(c)),
      ...f.conditions.filter((c) => !c.code).flatMap((c) => normaliseCancerType(c.text ?? c.label).siteGroups),
    ]),
    bodyRegions: unique(f.bodyParts.flatMap((b) => (b.code ? bodyRegionsFor(b.code) : []))),
    hasSegmentation,
    hasAnnotations,
    ...(f.subjectsCount !== undefined
      ? { orderOfMagnitudeSubjects: f.subjectsCount > 0 ? Math.floor(Math.log10(f.subjectsCount)) : 0 }
      : {}),
  };
}

const unique = <T>(xs: T[]) => [...new Set(xs)];
