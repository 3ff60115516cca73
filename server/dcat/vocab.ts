/** Namespaces and fixed IRIs of the DCAT-AP 3 / HealthDCAT-AP export (datamodel §5.2). */
export const PREFIXES = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcatap: 'http://data.europa.eu/r5r/',
  adms: 'http://www.w3.org/ns/adms#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  prov: 'http://www.w3.org/ns/prov#',
  eli: 'http://data.europa.eu/eli/ontology#',
  healthdcatap: 'http://healthdataportal.eu/ns/health#',
  cv: 'http://data.europa.eu/m8g/',
  locn: 'http://www.w3.org/ns/locn#',
  geodcatap: 'http://data.europa.eu/930/',
  dpv: 'https://w3id.org/dpv#',
  'dpv-pd': 'https://w3id.org/dpv/pd#',
} as const;

export const RDF_TYPE = `${PREFIXES.rdf}type`;
export const XSD_STRING = `${PREFIXES.xsd}string`;

type Ns = keyof typeof PREFIXES;
/** `iri('dcat', 'Dataset')` → the full IRI. */
export const iri = (ns: Ns, local: string) => `${PREFIXES[ns]}${local}`;

export const EU = {
  themeHealth: 'http://publications.europa.eu/resource/authority/data-theme/HEAL',
  themeScheme: 'http://publications.europa.eu/resource/authority/data-theme',
  accessRight: (code: string) => `http://publications.europa.eu/resource/authority/access-right/${code}`,
  language: (code: string) => `http://publications.europa.eu/resource/authority/language/${code}`,
  availabilityStable: 'http://publications.europa.eu/resource/authority/planned-availability/STABLE',
  fileType: (code: string) => `http://publications.europa.eu/resource/authority/file-type/${code}`,
  country: (alpha3: string) => `http://publications.europa.eu/resource/authority/country/${alpha3}`,
  /** European Health Data Space regulation (EU) 2025/327. */
  ehds: 'http://data.europa.eu/eli/reg/2025/327/oj',
};

export const ACCESS_RIGHT_LABELS: Record<string, string> = { PUBLIC: 'Public', RESTRICTED: 'Restricted', NON_PUBLIC: 'Non-public' };
