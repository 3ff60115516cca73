/** Demo providers, networks, contacts and users of the embedded default (see seed/README.md). */
import type { ContactInput, NetworkInput, ProviderInput } from '../schemas/provider.js';

export const XNAT_DEMO = 'https://xnat.demo.dicom-miabis.org';
export const IDC_PROVIDER = 'nci-idc';

export const DEMO_USERS: {
  id: string;
  name: string;
  email: string;
  role: string;
  isAdmin: boolean;
  providerIds: string[];
  memberRole?: 'data_manager' | 'viewer';
}[] = [
  {
    id: 'researcher',
    name: 'Rosa Researcher',
    email: 'rosa.researcher@example.org',
    role: 'researcher',
    isAdmin: false,
    providerIds: [] as string[],
  },
  {
    id: 'curator',
    name: 'Carl Curator',
    email: 'carl.curator@example.org',
    role: `data manager of ${IDC_PROVIDER}`,
    isAdmin: false,
    providerIds: [IDC_PROVIDER],
  },
  {
    id: 'eu-curator',
    name: 'Eva Curator',
    email: 'eva.curator@example.org',
    role: 'data manager of eucanimage-pilot and eucanimage-uc1',
    isAdmin: false,
    providerIds: ['eucanimage-pilot', 'eucanimage-uc1'],
  },
  {
    id: 'researcher2',
    name: 'Rafael Researcher',
    email: 'rafael.researcher@example.org',
    role: 'second researcher',
    isAdmin: false,
    providerIds: [] as string[],
  },
  {
    id: 'worc-curator',
    name: 'Wim Curator',
    email: 'wim.curator@example.org',
    role: 'data manager of eucanimage-worc',
    isAdmin: false,
    providerIds: ['eucanimage-worc'],
  },
  {
    id: 'viewer',
    name: 'Vic Viewer',
    email: 'vic.viewer@example.org',
    role: `viewer of ${IDC_PROVIDER} (sees its drafts and private collections, cannot edit)`,
    isAdmin: false,
    providerIds: [IDC_PROVIDER],
    memberRole: 'viewer' as const,
  },
  { id: 'admin', name: 'Ada Admin', email: 'ada.admin@example.org', role: 'catalogue admin', isAdmin: true, providerIds: [] as string[] },
];

export const IDC_PROVIDER_DOC: ProviderInput = {
  id: IDC_PROVIDER,
  name: 'NCI Imaging Data Commons',
  acronym: 'IDC',
  description:
    'The NCI Imaging Data Commons (IDC) is a cloud-based repository of publicly available cancer imaging data co-located with analysis tools, part of the NCI Cancer Research Data Commons.',
  url: 'https://portal.imaging.datacommons.cancer.gov/',
  juristicPerson: 'National Cancer Institute',
  country: 'US',
  contactEmail: 'support@canceridc.dev',
  networkIds: [],
};

/** EuCanImage "biobanks" are use cases; the seed makes each a provider. */
export const EUCANIMAGE_PROVIDERS: Record<string, { id: string; acronym?: string }> = {
  aaaadaeyv7ps2aaaaaaaaaaaae: { id: 'eucanimage-pilot' },
  NL_EGD: { id: 'eucanimage-egd', acronym: 'EGD' },
  aaaadfzushcdgaaaaaaaaaaaae: { id: 'eucanimage-uc1', acronym: 'UC1' },
  aaaadfzusftsgaaaaaaaaaaaae: { id: 'eucanimage-uc2-3', acronym: 'UC2&3' },
  aaaadfzusdztoaaaaaaaaaaaae: { id: 'eucanimage-uc4-5', acronym: 'UC4&5' },
  aaaadfzusbnvwaaaaaaaaaaaae: { id: 'eucanimage-uc6-8', acronym: 'UC6&8' },
  aaaadfzurv2ieaaaaaaaaaaaae: { id: 'eucanimage-uc7', acronym: 'UC7' },
  NL_WORC: { id: 'eucanimage-worc', acronym: 'WORC' },
};

export const EUCANIMAGE_NETWORK: NetworkInput = {
  id: 'eucanimage',
  kind: 'project',
  name: 'EuCanImage',
  acronym: 'EuCanImage',
  description: 'European Cancer Imaging Platform: a European project building a federated cancer-imaging platform for AI (Horizon 2020).',
  url: 'https://eucanimage.eu/',
  countries: [],
  status: 'Ended',
};

/** IDC/TCIA programs become networks of kind `programme`. Keys are the collection-id prefixes too. */
export const PROGRAMMES: Record<string, string> = {
  TCGA: 'The Cancer Genome Atlas',
  CPTAC: 'Clinical Proteomic Tumor Analysis Consortium',
  CMB: 'Cancer Moonshot Biobank',
  HTAN: 'Human Tumor Atlas Network',
  CGCI: 'Cancer Genome Characterization Initiative',
  CCDI: 'Childhood Cancer Data Initiative',
  HCMI: 'Human Cancer Models Initiative',
  QIN: 'Quantitative Imaging Network',
  ACRIN: 'American College of Radiology Imaging Network',
  RIDER: 'Reference Image Database to Evaluate Therapy Response',
  MIDRC: 'Medical Imaging and Data Resource Center',
  PDMR: 'NCI Patient-Derived Models Repository',
  NLST: 'National Lung Screening Trial',
  QIBA: 'Quantitative Imaging Biomarkers Alliance',
};

export const programmeNetworkId = (code: string) => `programme-${code.toLowerCase()}`;

export const IDC_CONTACT: ContactInput = {
  id: 'nci-idc-helpdesk',
  providerId: IDC_PROVIDER,
  lastName: 'IDC Helpdesk',
  email: 'support@canceridc.dev',
  country: 'US',
  role: 'User support',
};
