/**
 * Open lists with many spellings in the sources: supporting-data kinds, species, file formats, manufacturers
 * (datamodel §6.8.4) and licences (SPDX). Normalisers are in normalise.ts.
 */
import type { Term } from './text.js';

/** Kinds of supporting (non-image) data (TCIA `supporting_data`, datamodel §2.1.f). */
export const SUPPORTING_DATA = [
  { code: 'clinical', label: 'Clinical' },
  { code: 'genomics', label: 'Genomics' },
  { code: 'microarray', label: 'Microarray' },
  { code: 'proteomics', label: 'Proteomics' },
  { code: 'histopathology', label: 'Histopathology' },
  { code: 'image-analyses', label: 'Image analyses' },
  { code: 'image-registrations', label: 'Image registrations' },
  { code: 'software', label: 'Software / source code' },
  { code: 'other', label: 'Other' },
] as const satisfies readonly Term[];

export const SUPPORTING_DATA_ALIASES: Readonly<Record<string, string>> = {
  'Clinical data': 'clinical',
  Clinicals: 'clinical',
  'Clinical information': 'clinical',
  Outcomes: 'clinical',
  Genomic: 'genomics',
  Genomics: 'genomics',
  'Genomic data': 'genomics',
  Genetics: 'genomics',
  Sequencing: 'genomics',
  Transcriptomics: 'genomics',
  'Gene expression': 'genomics',
  Proteomic: 'proteomics',
  Pathology: 'histopathology',
  Histology: 'histopathology',
  'Pathology reports': 'histopathology',
  'Image analysis': 'image-analyses',
  'Image analyses': 'image-analyses',
  'Organ segmentations': 'image-analyses',
  Segmentations: 'image-analyses',
  Annotations: 'image-analyses',
  Radiomics: 'image-analyses',
  'Radiomic features': 'image-analyses',
  'Image registration': 'image-registrations',
  'Software source code': 'software',
  'Software/Source Code': 'software',
  'Source code': 'software',
  Code: 'software',
};

/** Species / sample source; `taxon` = NCBITaxon id, `sampleSource` = MIABIS 3.0 Sample source. */
export interface SpeciesTerm extends Term {
  readonly taxon?: string;
  readonly sampleSource: 'Human' | 'Animal' | 'Other';
}
export const SPECIES: readonly SpeciesTerm[] = [
  { code: 'human', label: 'Human', taxon: 'NCBITaxon:9606', sampleSource: 'Human' },
  { code: 'mouse', label: 'Mouse', taxon: 'NCBITaxon:10090', sampleSource: 'Animal' },
  { code: 'rat', label: 'Rat', taxon: 'NCBITaxon:10116', sampleSource: 'Animal' },
  { code: 'canine', label: 'Canine', taxon: 'NCBITaxon:9615', sampleSource: 'Animal' },
  { code: 'feline', label: 'Feline', taxon: 'NCBITaxon:9685', sampleSource: 'Animal' },
  { code: 'porcine', label: 'Porcine', taxon: 'NCBITaxon:9823', sampleSource: 'Animal' },
  { code: 'rabbit', label: 'Rabbit', taxon: 'NCBITaxon:9986', sampleSource: 'Animal' },
  { code: 'zebrafish', label: 'Zebrafish', taxon: 'NCBITaxon:7955', sampleSource: 'Animal' },
  { code: 'macaque', label: 'Macaque', taxon: 'NCBITaxon:9544', sampleSource: 'Animal' },
  { code: 'sheep', label: 'Sheep', taxon: 'NCBITaxon:9940', sampleSource: 'Animal' },
  { code: 'bovine', label: 'Bovine', taxon: 'NCBITaxon:9913', sampleSource: 'Animal' },
  { code: 'equine', label: 'Equine', taxon: 'NCBITaxon:9796', sampleSource: 'Animal' },
  { code: 'phantom', label: 'Phantom', sampleSource: 'Other' },
];

export const SPECIES_ALIASES: Readonly<Record<string, string>> = {
  'Homo sapiens': 'human',
  Humans: 'human',
  Patient: 'human',
  Patients: 'human',
  '9606': 'human',
  'Mus musculus': 'mouse',
  Mice: 'mouse',
  Murine: 'mouse',
  '10090': 'mouse',
  'Rattus norvegicus': 'rat',
  Rats: 'rat',
  Dog: 'canine',
  Dogs: 'canine',
  'Canis familiaris': 'canine',
  'Canis lupus familiaris': 'canine',
  Cat: 'feline',
  Cats: 'feline',
  'Felis catus': 'feline',
  Pig: 'porcine',
  Swine: 'porcine',
  'Sus scrofa': 'porcine',
  'Oryctolagus cuniculus': 'rabbit',
  'Danio rerio': 'zebrafish',
  Phantoms: 'phantom',
  'Physical phantom': 'phantom',
  'Homo sapiens sapiens': 'human',
  Man: 'human',
  Person: 'human',
  People: 'human',
  Mouse: 'mouse',
  Rat: 'rat',
  'Canis lupus': 'canine',
  Canis: 'canine',
  Feline: 'feline',
  Porcine: 'porcine',
  Pigs: 'porcine',
  'Sus scrofa domesticus': 'porcine',
  'Macaca mulatta': 'macaque',
  'Rhesus macaque': 'macaque',
  Rhesus: 'macaque',
  Monkey: 'macaque',
  'Macaca fascicularis': 'macaque',
  'Ovis aries': 'sheep',
  Ovine: 'sheep',
  'Bos taurus': 'bovine',
  Cow: 'bovine',
  Cattle: 'bovine',
  Horse: 'equine',
  'Equus caballus': 'equine',
  Xenograft: 'mouse',
  PDX: 'mouse',
  'Test object': 'phantom',
  'Imaging phantom': 'phantom',
  Humano: 'human',
  Humain: 'human',
  Mensch: 'human',
  Umano: 'human',
  Maus: 'mouse',
  Souris: 'mouse',
  Raton: 'mouse',
  Topo: 'mouse',
  Hund: 'canine',
  Chien: 'canine',
  Perro: 'canine',
  Cane: 'canine',
};

/** File formats of distributions; `mediaType` where an IANA type exists. */
export interface FileFormatTerm extends Term {
  readonly mediaType?: string;
}
export const FILE_FORMATS: readonly FileFormatTerm[] = [
  { code: 'DICOM', label: 'DICOM', mediaType: 'application/dicom' },
  { code: 'NIfTI', label: 'NIfTI' },
  { code: 'NRRD', label: 'NRRD' },
  { code: 'MHA', label: 'MetaImage (MHA/MHD)' },
  { code: 'PNG', label: 'PNG', mediaType: 'image/png' },
  { code: 'JPEG', label: 'JPEG', mediaType: 'image/jpeg' },
  { code: 'TIFF', label: 'TIFF', mediaType: 'image/tiff' },
  { code: 'SVS', label: 'Aperio SVS' },
  { code: 'NDPI', label: 'Hamamatsu NDPI' },
  { code: 'MRXS', label: 'MIRAX (MRXS)' },
  { code: 'HDF5', label: 'HDF5', mediaType: 'application/x-hdf5' },
  { code: 'CSV', label: 'CSV', mediaType: 'text/csv' },
  { code: 'JSON', label: 'JSON', mediaType: 'application/json' },
  { code: 'XLSX', label: 'Excel (XLSX)', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { code: 'OTHER', label: 'Other' },
];

export const FILE_FORMAT_ALIASES: Readonly<Record<string, string>> = {
  dcm: 'DICOM',
  'application/dicom': 'DICOM',
  nii: 'NIfTI',
  'nii.gz': 'NIfTI',
  'NIfTI-1': 'NIfTI',
  'NIfTI-2': 'NIfTI',
  nifti: 'NIfTI',
  nrrd: 'NRRD',
  nhdr: 'NRRD',
  mhd: 'MHA',
  MetaImage: 'MHA',
  tif: 'TIFF',
  'OME-TIFF': 'TIFF',
  jpg: 'JPEG',
  h5: 'HDF5',
  hdf: 'HDF5',
  xls: 'XLSX',
  Excel: 'XLSX',
};

/** Normalised manufacturers (§6.8.4) with the patterns that recognise raw DICOM (0008,0070) values. */
export interface ManufacturerTerm extends Term {
  readonly pattern: RegExp;
  readonly eucaim?: string;
}
export const MANUFACTURERS: readonly ManufacturerTerm[] = [
  { code: 'SIEMENS', label: 'Siemens Healthineers', pattern: /siemens/i, eucaim: 'IMG1000044' },
  { code: 'GE', label: 'GE HealthCare', pattern: /\bge\b|general electric|\bgems\b|ge ?(medical|healthcare)/i, eucaim: 'IMG1000047' },
  { code: 'PHILIPS', label: 'Philips', pattern: /philips|\badac\b|marconi|\bpicker\b/i, eucaim: 'IMG1000046' },
  { code: 'CANON', label: 'Canon Medical Systems (Toshiba)', pattern: /canon|toshiba/i, eucaim: 'IMG1000045' },
  { code: 'FUJIFILM', label: 'Fujifilm (incl. Hitachi)', pattern: /fuji|hitachi/i },
  { code: 'HOLOGIC', label: 'Hologic', pattern: /hologic|lorad/i },
  { code: 'AGFA', label: 'Agfa', pattern: /agfa/i },
  { code: 'CARESTREAM', label: 'Carestream', pattern: /carestream|kodak/i },
  { code: 'UNITED_IMAGING', label: 'United Imaging Healthcare', pattern: /united imaging|\buih\b|\buii\b/i },
  { code: 'ESAOTE', label: 'Esaote', pattern: /esaote/i },
  { code: 'IMS_GIOTTO', label: 'IMS Giotto', pattern: /\bims\b|giotto/i },
  { code: 'SAMSUNG', label: 'Samsung Medison', pattern: /samsung|medison/i },
  { code: 'MINDRAY', label: 'Mindray', pattern: /mindray/i },
  { code: 'KONICA_MINOLTA', label: 'Konica Minolta', pattern: /konica|minolta/i },
  { code: 'PLANMED', label: 'Planmed', pattern: /planmed/i },
  { code: 'ELEKTA', label: 'Elekta', pattern: /elekta/i },
  { code: 'VARIAN', label: 'Varian', pattern: /varian/i },
  { code: 'ACCURAY', label: 'Accuray', pattern: /accuray|tomotherapy/i },
  { code: 'LEICA', label: 'Leica Biosystems (Aperio)', pattern: /leica|aperio/i },
  { code: 'HAMAMATSU', label: 'Hamamatsu', pattern: /hamamatsu/i },
  { code: '3DHISTECH', label: '3DHISTECH', pattern: /3d ?histech/i },
  { code: 'ROCHE', label: 'Roche (Ventana)', pattern: /roche|ventana/i },
  { code: 'OTHER', label: 'Other', pattern: /^other$/i },
];

/** SPDX licences seen in imaging catalogues (TCIA / IDC use CC BY 3.0 / 4.0 and CC BY-NC). */
export interface LicenceTerm extends Term {
  readonly url: string;
}
const cc = (code: string, label: string, path: string): LicenceTerm => ({
  code,
  label,
  url: `https://creativecommons.org/${path}/`,
});
export const LICENCES: readonly LicenceTerm[] = [
  cc('CC-BY-4.0', 'Creative Commons Attribution 4.0 International', 'licenses/by/4.0'),
  cc('CC-BY-3.0', 'Creative Commons Attribution 3.0 Unported', 'licenses/by/3.0'),
  cc('CC-BY-NC-4.0', 'Creative Commons Attribution Non Commercial 4.0 International', 'licenses/by-nc/4.0'),
  cc('CC-BY-NC-3.0', 'Creative Commons Attribution Non Commercial 3.0 Unported', 'licenses/by-nc/3.0'),
  cc('CC-BY-SA-4.0', 'Creative Commons Attribution Share Alike 4.0 International', 'licenses/by-sa/4.0'),
  cc('CC-BY-ND-4.0', 'Creative Commons Attribution No Derivatives 4.0 International', 'licenses/by-nd/4.0'),
  cc('CC-BY-NC-SA-4.0', 'Creative Commons Attribution Non Commercial Share Alike 4.0 International', 'licenses/by-nc-sa/4.0'),
  cc('CC-BY-NC-ND-4.0', 'Creative Commons Attribution Non Commercial No Derivatives 4.0 International', 'licenses/by-nc-nd/4.0'),
  cc('CC0-1.0', 'Creative Commons Zero v1.0 Universal', 'publicdomain/zero/1.0'),
  {
    code: 'PDDL-1.0',
    label: 'Open Data Commons Public Domain Dedication & License 1.0',
    url: 'https://opendatacommons.org/licenses/pddl/1-0/',
  },
  { code: 'ODbL-1.0', label: 'Open Data Commons Open Database License v1.0', url: 'https://opendatacommons.org/licenses/odbl/1-0/' },
];
