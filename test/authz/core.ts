/** Authorization matrix entries of the service core (audit log) and the jobs module. */
import { adminOnly, type AuthzEntry } from './types.js';

export const entries: AuthzEntry[] = [
  {
    method: 'post',
    path: '/api/v1/admin/audit/verify',
    over: 'once',
    request: () => ({ path: '/api/v1/admin/audit/verify' }),
    expected: adminOnly(200),
  },
  {
    method: 'get',
    path: '/api/v1/admin/jobs/dead',
    over: 'once',
    request: () => ({ path: '/api/v1/admin/jobs/dead' }),
    expected: adminOnly(200),
  },
  {
    method: 'post',
    path: '/api/v1/admin/jobs/:id/retry',
    over: 'once',
    // No such failed job: admins learn that (404); nobody else gets that far.
    request: () => ({ path: '/api/v1/admin/jobs/00000000-0000-4000-8000-000000000000/retry' }),
    expected: adminOnly(404),
  },
];
