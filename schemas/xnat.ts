/** API shapes of the XNAT role sync: instances, accounts, sync status, grants. */
import { z } from 'zod';
import { Url } from './common.js';

export const XnatRole = z.enum(['owner', 'member', 'collaborator']);
export type XnatRole = z.infer<typeof XnatRole>;

const XnatUsername = z
  .string()
  .regex(/^[a-zA-Z][A-Za-z0-9_.-]{0,63}$/, 'an XNAT username: a letter, then letters, digits, _ . - (at most 64)');
const InstanceId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and -');

export const XnatCredentialsInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), alias: z.string().min(1).max(200), secret: z.string().min(1).max(500) }).strict(),
  z.object({ kind: z.literal('password'), username: z.string().min(1).max(200), password: z.string().min(1).max(500) }).strict(),
]);

export const XnatInstanceInput = z
  .object({
    id: InstanceId.optional(),
    name: z.string().min(1).max(200),
    url: Url,
    /** The value collections use in `xnat.instance`; defaults to `url`. */
    key: z.string().min(1).max(2000).optional(),
    credentials: XnatCredentialsInput,
  })
  .strict();

export const XnatInstancePatch = XnatInstanceInput.omit({ id: true }).partial().strict();

export const XnatInstance = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  key: z.string(),
  authKind: z.enum(['token', 'password']),
  createdAt: z.string(),
  modifiedAt: z.string(),
});

export const XnatConnectionTest = z.object({
  ok: z.boolean(),
  /** unauthorized | forbidden | not_found | unavailable | timeout | rejected | protocol */
  error: z.string().optional(),
  detail: z.string().optional(),
  ms: z.number(),
});

export const XnatAccountInput = z.object({ username: XnatUsername }).strict();
export const XnatAccount = z.object({ instanceId: z.string(), username: z.string(), verifiedAt: z.string().nullable() });

export const ReconcileRequest = z.object({ instanceId: z.string().min(1).optional(), projectId: z.string().min(1).optional() }).strict();

export const ProjectSyncStatus = z.object({
  instanceId: z.string(),
  projectId: z.string(),
  status: z.enum(['in_sync', 'drift', 'failing']),
  pending: z.number().int(),
  failed: z.number().int(),
  lastSyncAt: z.string().nullable(),
  lastReconcileAt: z.string().nullable(),
  lastError: z.string().nullable(),
  driftFound: z.number().int(),
  driftRepaired: z.number().int(),
  /** Roles and groups left alone because this service did not grant them. */
  reports: z.array(z.object({ username: z.string(), note: z.string() })),
});

export const XnatGrant = z.object({
  id: z.string(),
  itemId: z.string(),
  instanceId: z.string(),
  projectId: z.string(),
  userId: z.string(),
  username: z.string().nullable(),
  role: XnatRole,
  desired: z.enum(['present', 'absent']),
  applied: z.enum(['pending', 'present', 'absent', 'failed']),
  endReason: z.string().nullable(),
  until: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  note: z.string().nullable(),
  attempts: z.number().int(),
  /** Where the researcher opens the project. */
  xnatUrl: z.string().optional(),
});
