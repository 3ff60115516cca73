/** Admin routes of the audit log: verify the hash chain on demand. */
import type { Hono } from 'hono';
import { AuditVerification } from '../../schemas/history.js';
import { isAdmin } from '../policy/index.js';
import { serviceContext } from '../http/context.js';
import type { AppEnv } from '../http/env.js';
import type { ApiRegistry } from '../http/openapi.js';
import { verifyAudit } from './audit.js';
import type { ServiceContext } from './context.js';
import { forbidden, unauthenticated } from './errors.js';

/** Verify the audit chain as an admin (401 anonymous, 403 others, as every admin endpoint). */
export async function verifyAuditAsAdmin(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'user') throw unauthenticated();
  if (!isAdmin(ctx.actor)) throw forbidden('Only catalogue admins can verify the audit log.');
  return verifyAudit(ctx);
}

export function auditRoutes(app: Hono<AppEnv>, api: ApiRegistry) {
  api.route(
    app,
    {
      method: 'post',
      path: '/api/v1/admin/audit/verify',
      summary: 'Verify the audit log hash chain (admins)',
      description:
        'Walks the append-only audit log from the first entry, recomputing each SHA-256 link; names the first broken link (an edited, deleted, inserted or reordered entry).',
      tags: ['Admin'],
      auth: 'required',
      responses: { 200: { description: 'The verdict', schema: AuditVerification } },
    },
    async (c) => c.json(await verifyAuditAsAdmin(serviceContext(c))),
  );
}
