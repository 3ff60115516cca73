/**
 * The Collection: one XNAT project described in the DICOM-MIABIS / MIABIS / EUCAIM-aligned model
 * (../shared/reference/datamodel.md §2.1). `CollectionInput` is what clients send (coded fields accept
 * plain strings, normalised to codings on the way in); `Collection` is what the API returns.
 */
import { z } from 'zod';
import { Coding, CountryCode, Id, Url } from './common.js';
import { Condition, type CodedFactory, inputCoded, outputCoded } from './coded.js';
import { CollectionActions } from './policy.js';

const Text = (max = 20000) => z.string().trim().min(1).max(max);
const Count = z.number().int().min(0).max(1e12);
const IsoDate = z.iso.date();

export const Visibility = z.enum(['public', 'protected', 'private']);
export type Visibility = z.infer<typeof Visibility>;

export const PublicationState = z.enum(['draft', 'published', 'withdrawn']);
export type PublicationState = z.infer<typeof PublicationState>;

export const XnatLink = z
  .object({
    /** Base URL of the XNAT instance (central or site-local archive). */
    instance: Url,
    /** XNAT project ID (`xnat:projectData/ID`). */
    projectId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'XNAT project IDs use letters, digits, _ and - (max 64)'),
    /** XNAT project accessibility; drives catalogue visibility. */
    visibility: Visibility,
  })
  .strict();

export const OtherIdentifier = z
  .object({ scheme: z.string().min(1).max(50), value: z.string().min(1).max(500), url: Url.optional() })
  .strict();

export const Publication = z
  .object({ doi: z.string().max(200).optional(), citation: z.string().max(2000).optional() })
  .strict()
  .refine((p) => p.doi || p.citation, { message: 'give a doi or a citation' });

export const ContactRef = z
  .object({
    contactId: Id,
    role: z.enum(['contact', 'head', 'custodian', 'creator']).default('contact'),
  })
  .strict();

const modalityStat = (c: CodedFactory) =>
  z
  .object({
    modality: c.one('modality'),
    subjects: Count.optional(),
    studies: Count.optional(),
    series: Count.optional(),
    instances: Count.optional(),
  })
  .strict();

const deidentification = (c: CodedFactory) =>
  z
  .object({
    patientIdentityRemoved: z.boolean(),
    methodCodes: c.list('deidMethod').optional(),
    methodText: z.string().max(1000).optional(),
    longitudinalTemporalInformation: z.enum(['UNMODIFIED', 'MODIFIED', 'REMOVED']).optional(),
    burnedInAnnotation: z.enum(['YES', 'NO']).optional(),
    recognizableVisualFeatures: z.enum(['YES', 'NO']).optional(),
    tool: z.object({ name: z.string().min(1).max(200), version: z.string().max(50).optional() }).strict().optional(),
    dataProtectionStatus: z.enum(['anonymised', 'pseudonymised']).optional(),
  })
  .strict();

const dataUse = (c: CodedFactory) =>
  z
  .object({
    term: c.one('duo'),
    /** DUO modifier parameter: disease (DS), region (GS), months (TS), date (MOR). */
    disease: Coding.optional(),
    region: z.string().max(200).optional(),
    months: z.number().int().positive().max(1200).optional(),
    date: IsoDate.optional(),
  })
  .strict();

export const License = z
  .object({ spdxId: z.string().max(100).optional(), url: Url.optional(), title: z.string().min(1).max(300) })
  .strict();

export const AgeRange = z
  .object({
    low: z.number().min(0).max(150).optional(),
    high: z.number().min(0).max(150).optional(),
    unit: z.enum(['years', 'months', 'weeks', 'days']).default('years'),
  })
  .strict()
  .refine((a) => a.low === undefined || a.high === undefined || a.low <= a.high, {
    message: 'low must not exceed high',
    path: ['low'],
  });

export const AccessPolicy = z
  .object({
    /** XNAT roles a request may receive; default Collaborator (read-only) only. */
    allowedRoles: z.array(z.enum(['collaborator', 'member'])).min(1).max(2).optional(),
    /** Longest access a request may receive, in months (a DUO "time limit on use" also caps it). */
    maxDurationMonths: z.number().int().min(1).max(120).optional(),
  })
  .strict();

/** Everything a data manager may write. System fields (dates, state, derived facets) are not here. */
const collectionFields = (c: CodedFactory) => ({
    // identification & description
    id: Id.optional(),
    providerId: Id,
    title: Text(500),
    acronym: z.string().trim().max(100).optional(),
    description: Text(20000),
    keywords: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
    landingPage: Url.optional(),
    documentation: z.array(Url).max(50).default([]),
    otherIdentifiers: z.array(OtherIdentifier).max(50).default([]),
    pid: z.string().max(300).optional(),
    publications: z.array(Publication).max(200).default([]),
    version: z.string().max(50).optional(),
    versionNotes: z.string().max(5000).optional(),
    status: c.one('status').optional(),
    // relations
    contacts: z.array(ContactRef).max(50).default([]),
    networkIds: z.array(Id).max(50).default([]),
    parentCollectionId: Id.optional(),
    // classification
    collectionTypes: c.list('collectionType').default([]),
    dataCategories: c.list('dataCategory').default([]),
    imageDatasetTypes: c.list('imageDatasetType').default([]),
    species: c.list('species').default([]),
    // population / disease
    sex: c.list('sex').default([]),
    age: AgeRange.optional(),
    conditions: c.conditions().default([]),
    countries: z.array(CountryCode).max(250).default([]),
    // imaging content and counts
    modalities: c.list('modality').default([]),
    bodyParts: c.list('bodyPart').default([]),
    manufacturers: c.list('manufacturer').default([]),
    modalityStats: z.array(modalityStat(c)).max(100).default([]),
    subjectsCount: Count.optional(),
    studiesCount: Count.optional(),
    seriesCount: Count.optional(),
    instancesCount: Count.optional(),
    sizeBytes: Count.optional(),
    countsAsOf: IsoDate.optional(),
    acquisitionPeriod: z.object({ start: IsoDate.optional(), end: IsoDate.optional() }).strict().optional(),
    fileFormats: c.list('fileFormat').default([]),
    // annotations / image analysis
    segmentationMethods: c.list('segmentationMethod').default([]),
    segmentationsCount: Count.optional(),
    supportingData: c.list('supportingData').default([]),
    // de-identification
    deidentification: deidentification(c).optional(),
    // access, use, legal
    accessRights: c.one('accessRights').optional(),
    accessConditions: c.list('accessCondition').default([]),
    dataUse: z.array(dataUse(c)).max(50).default([]),
    commercialUse: z.boolean().optional(),
    accessDescription: z.string().max(5000).optional(),
    accessUrl: Url.optional(),
    license: License.optional(),
    /** Access-request policy beyond DUO: may researchers get the XNAT Member role, and for how long at most. */
    accessPolicy: AccessPolicy.optional(),
    // provenance
    provenance: z.string().max(10000).optional(),
    // XNAT link: one collection = one XNAT project
    xnat: XnatLink,
});

export const CollectionInput = z.object(collectionFields(inputCoded)).strict();
export type CollectionInput = z.input<typeof CollectionInput>;
export type CollectionFields = z.output<typeof CollectionInput>;

/** Values computed by the server from the fields above; never user-entered. */
export const DerivedFacets = z.object({
  cancerSiteGroups: z.array(z.string()),
  icd10: z.array(z.string()),
  icd10Ancestors: z.array(z.string()),
  bodyRegions: z.array(z.string()),
  hasSegmentation: z.boolean(),
  hasAnnotations: z.boolean(),
  orderOfMagnitudeSubjects: z.number().int().optional(),
});
export type DerivedFacets = z.infer<typeof DerivedFacets>;

export const Collection = z.object({
  ...collectionFields(outputCoded),
  id: Id,
  publicationState: PublicationState,
  derived: DerivedFacets,
  createdAt: z.iso.datetime(),
  modifiedAt: z.iso.datetime(),
  publishedAt: z.iso.datetime().optional(),
  withdrawnAt: z.iso.datetime().optional(),
  withdrawnReason: z.string().optional(),
  /** Optimistic-concurrency revision; the ETag is `"<revision>"`. */
  revision: z.number().int(),
  actions: CollectionActions,
});
export type Collection = z.infer<typeof Collection>;

/** What a withdrawn collection still shows (a tombstone, so links and citations keep resolving). */
export const CollectionTombstone = z.object({
  id: Id,
  title: z.string(),
  providerId: Id,
  publicationState: z.literal('withdrawn'),
  withdrawnAt: z.iso.datetime(),
  withdrawnReason: z.string().optional(),
  pid: z.string().optional(),
  actions: CollectionActions,
});
export type CollectionTombstone = z.infer<typeof CollectionTombstone>;

export const WithdrawInput = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();

export const CollectionListQuery = z
  .object({
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    providerId: Id.optional(),
    networkId: Id.optional(),
    state: PublicationState.optional(),
    modality: z.string().max(50).optional(),
    bodyPart: z.string().max(50).optional(),
    q: z.string().max(200).optional(),
  })
  .strict();
export type CollectionListQuery = z.infer<typeof CollectionListQuery>;

export const CollectionSummary = z.object({
  id: Id,
  title: z.string(),
  acronym: z.string().optional(),
  providerId: Id,
  publicationState: PublicationState,
  /** Absent, like every descriptive field (empty lists), for a withdrawn collection shown to outsiders: no more than its tombstone. */
  visibility: Visibility.optional(),
  modalities: z.array(Coding),
  bodyParts: z.array(Coding),
  conditions: z.array(Condition),
  subjectsCount: z.number().optional(),
  accessRights: Coding.optional(),
  modifiedAt: z.iso.datetime(),
  actions: CollectionActions,
});
export type CollectionSummary = z.infer<typeof CollectionSummary>;
