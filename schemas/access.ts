/**
 * Access requests: the request form (versioned), decisions, messages and what the API returns.
 * One request spans several collections; each collection becomes one item decided by its provider.
 */
import { z } from 'zod';
import { Id } from './common.js';
import { duoLookup } from './vocab/duo.js';
import { parseIcd10 } from './vocab/icd10.js';

/** Item statuses (exactly these; see docs/access-workflow.md). */
export const ItemStatus = z.enum([
  'draft',
  'submitted',
  'under_review',
  'approved',
  'rejected',
  'returned',
  'withdrawn',
  'active',
  'expired',
  'revoked',
]);
export type ItemStatus = z.infer<typeof ItemStatus>;

/** A request is a draft, open (some item still moving) or concluded (every item is final). */
export const RequestStatus = z.enum(['draft', 'open', 'concluded']);
export type RequestStatus = z.infer<typeof RequestStatus>;

/** XNAT project roles a researcher may receive: Collaborator is read-only. */
export const XnatRole = z.enum(['collaborator', 'member']);
export type XnatRole = z.infer<typeof XnatRole>;

export const FORM_VERSION = 1;
export const DEFAULT_DURATION_MONTHS = 12;

const DuoPurposeCode = z
  .string()
  .max(100)
  .transform((s, ctx) => {
    const t = duoLookup(s);
    if (!t || t.kind !== 'permission' || !t.offered) {
      ctx.addIssue({ code: 'custom', message: 'a DUO permission code (NRES, GRU, HMB, DS, POA or DUO:…)' });
      return z.NEVER;
    }
    return t.code;
  });

const Icd10Code = z
  .string()
  .max(50)
  .transform((s, ctx) => {
    const c = parseIcd10(s);
    if (!c) {
      ctx.addIssue({ code: 'custom', message: 'an ICD-10 code such as C34 or C34.1' });
      return z.NEVER;
    }
    return c;
  });

export const Purpose = z
  .object({
    /** DUO permission term (disease specific research = DUO:0000007 needs `disease`). */
    code: DuoPurposeCode,
    disease: Icd10Code.optional(),
  })
  .strict()
  .refine((p) => p.code !== 'DUO:0000007' || p.disease !== undefined, {
    message: 'disease specific research needs an ICD-10 disease',
    path: ['disease'],
  });

export const TeamMember = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(300),
    affiliation: z.string().trim().max(300).optional(),
  })
  .strict();

export const Ethics = z
  .object({
    reference: z.string().trim().min(1).max(300),
    expiry: z.iso.date(),
    /** An attachment uploaded to this request (PDF or image). */
    attachmentId: Id.optional(),
  })
  .strict();

/** The request form, version 1: what a researcher submits. */
export const AccessForm = z
  .object({
    formVersion: z.literal(FORM_VERSION).default(FORM_VERSION),
    title: z.string().trim().min(3).max(300),
    laySummary: z.string().trim().min(10).max(5000),
    abstract: z.string().trim().min(10).max(20000),
    purposes: z.array(Purpose).min(1).max(10),
    commercialUse: z.boolean(),
    ethics: Ethics.optional(),
    role: XnatRole.default('collaborator'),
    durationMonths: z.number().int().min(1).max(120).default(DEFAULT_DURATION_MONTHS),
    team: z.array(TeamMember).max(50).default([]),
  })
  .strict();
export type AccessForm = z.output<typeof AccessForm>;

/**
 * A draft saves whatever the researcher has typed so far (never lose work to a validation error):
 * only the shape is checked; completeness is checked on submit.
 */
export const AccessFormDraft = z
  .object({
    formVersion: z.literal(FORM_VERSION).optional(),
    title: z.string().max(300).optional(),
    laySummary: z.string().max(5000).optional(),
    abstract: z.string().max(20000).optional(),
    purposes: z
      .array(z.object({ code: z.string().max(100), disease: z.string().max(50).optional() }).strict())
      .max(10)
      .optional(),
    commercialUse: z.boolean().optional(),
    ethics: z
      .object({ reference: z.string().max(300).optional(), expiry: z.string().max(30).optional(), attachmentId: Id.optional() })
      .strict()
      .optional(),
    role: XnatRole.optional(),
    durationMonths: z.number().int().min(1).max(120).optional(),
    team: z
      .array(
        z
          .object({
            name: z.string().max(200).optional(),
            email: z.string().max(300).optional(),
            affiliation: z.string().max(300).optional(),
          })
          .strict(),
      )
      .max(50)
      .optional(),
  })
  .strict();
export type AccessFormDraft = z.output<typeof AccessFormDraft>;

export const CartItemInput = z.object({ collectionId: Id }).strict();
export const CartItem = z.object({ collectionId: Id, title: z.string(), providerId: Id, addedAt: z.iso.datetime() });
export const Cart = z.object({ items: z.array(CartItem) });

export const CreateRequestInput = z.object({ collectionIds: z.array(Id).min(1).max(50).optional() }).strict();

export const DecisionInput = z
  .object({
    outcome: z.enum(['approve', 'reject', 'return']),
    role: XnatRole.optional(),
    /** Access end (approve): a date (access ends at the end of that day, UTC) or an exact date-time; default: requested duration, capped by policy. */
    until: z.union([z.iso.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString())]).optional(),
    /** Required to reject or return; shown to the researcher. */
    reason: z.string().trim().min(1).max(5000).optional(),
    /** Conditions attached to an approval. */
    conditions: z.string().trim().max(5000).optional(),
  })
  .strict()
  .refine((d) => d.outcome === 'approve' || d.reason !== undefined, { message: 'required to reject or return', path: ['reason'] });
export type DecisionInput = z.output<typeof DecisionInput>;

export const ReasonInput = z.object({ reason: z.string().trim().min(1).max(5000) }).strict();
export const OptionalReasonInput = z.object({ reason: z.string().trim().min(1).max(5000).optional() }).strict();

export const MessageInput = z
  .object({
    body: z.string().trim().min(1).max(20000),
    /** `all`: the researcher and every owner; a provider id: the researcher and that provider's owners only. */
    audience: z.union([z.literal('all'), Id]).default('all'),
    attachmentIds: z.array(Id).max(10).default([]),
  })
  .strict();

export const AssignInput = z.object({ assigneeId: z.string().min(1).max(200) }).strict();

export const PolicyConflict = z.object({ collectionId: Id, code: z.string(), message: z.string() });
export type PolicyConflict = z.infer<typeof PolicyConflict>;

export const Decision = z.object({
  outcome: z.enum(['approve', 'reject', 'return']),
  by: z.string(),
  at: z.iso.datetime(),
  role: XnatRole.optional(),
  until: z.string().optional(),
  reason: z.string().optional(),
  conditions: z.string().optional(),
  formVersion: z.number().int(),
});

/** The XNAT side of an approved item: where its role stands, and a link into XNAT. */
export const GrantStatus = z.object({
  state: z.enum(['pending', 'active', 'removing', 'removed', 'failed', 'needs_username', 'no_instance']),
  message: z.string(),
  xnatUrl: z.string().optional(),
  instanceId: z.string().optional(),
  projectId: z.string().optional(),
  confirmedAt: z.iso.datetime().optional(),
});

export const RequestItem = z.object({
  id: Id,
  collectionId: Id,
  collectionTitle: z.string(),
  providerId: Id,
  status: ItemStatus,
  decision: Decision.optional(),
  conflicts: z.array(PolicyConflict),
  role: XnatRole.optional(),
  until: z.string().optional(),
  submittedAt: z.iso.datetime().optional(),
  assigneeId: z.string().optional(),
  revision: z.number().int(),
  /** What the caller may do with this item, from the policy (`decide`: review, decide, revoke; `assign`: reassign). */
  actions: z.array(z.enum(['decide', 'assign'])),
  /** Approved and later items: the XNAT role's state (when the XNAT sync is wired in). */
  grant: GrantStatus.optional(),
});

export const FieldChange = z.object({ path: z.string(), before: z.unknown(), after: z.unknown() });

export const AccessRequest = z.object({
  id: Id,
  status: RequestStatus,
  ownerId: z.string(),
  ownerName: z.string().optional(),
  renewalOf: Id.optional(),
  createdAt: z.iso.datetime(),
  submittedAt: z.iso.datetime().optional(),
  formVersion: z.number().int(),
  form: AccessFormDraft,
  /** Changes of the last resubmission against the version before it (what owners re-check). */
  changes: z.array(FieldChange),
  items: z.array(RequestItem),
});

export const RequestList = z.object({ items: z.array(AccessRequest.omit({ form: true, changes: true })) });

export const InboxItem = z.object({
  requestId: Id,
  itemId: Id,
  collectionId: Id,
  collectionTitle: z.string(),
  providerId: Id,
  status: ItemStatus,
  title: z.string().optional(),
  researcher: z.string(),
  submittedAt: z.iso.datetime().optional(),
  ageDays: z.number(),
  conflicts: z.array(PolicyConflict),
});
export const InboxQuery = z
  .object({
    collectionId: Id.optional(),
    status: z.enum(['submitted', 'under_review']).optional(),
    minAgeDays: z.coerce.number().int().min(0).max(10000).optional(),
  })
  .strict();
export const Inbox = z.object({ items: z.array(InboxItem), unreadNotifications: z.number().int() });

export const HistoryEvent = z.object({ at: z.iso.datetime(), actor: z.string(), type: z.string(), itemId: z.string().optional() }).loose();
export const History = z.object({ events: z.array(HistoryEvent) });

export const Message = z.object({
  id: z.string(),
  authorId: z.string(),
  authorName: z.string().optional(),
  audience: z.string(),
  body: z.string(),
  at: z.iso.datetime(),
  attachments: z.array(z.object({ id: z.string(), filename: z.string(), contentType: z.string(), size: z.number() })),
});
export const MessageList = z.object({ items: z.array(Message) });

export const Attachment = z.object({ id: z.string(), filename: z.string(), contentType: z.string(), size: z.number() });

export const EventClass = z.enum(['request', 'decision', 'message', 'reminder']);
export const NotifyMode = z.enum(['immediately', 'daily', 'off']);
export const Preferences = z.object({ request: NotifyMode, decision: NotifyMode, message: NotifyMode, reminder: NotifyMode });
export const PreferencesInput = Preferences.partial().strict();

export const Notification = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  eventClass: EventClass,
  subject: z.string(),
  body: z.string(),
  requestId: z.string().optional(),
  readAt: z.iso.datetime().optional(),
});
export const NotificationList = z.object({ items: z.array(Notification) });

export const DecisionStats = z.object({
  collectionId: Id,
  decisions: z.number().int(),
  /** Present once there are at least 5 decisions. */
  medianDaysToDecision: z.number().optional(),
  approvalRate: z.number().optional(),
});

export const CapturedMail = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  messageId: z.string(),
  inReplyTo: z.string().optional(),
  status: z.string(),
  createdAt: z.iso.datetime(),
});
export const MailList = z.object({ items: z.array(CapturedMail) });
