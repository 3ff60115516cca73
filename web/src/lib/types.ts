/** Small shared types of the web app (the API's own shapes come from $schemas). */
export const SESSION_COOKIE = 'session';

/** `GET /api/v1/me`. What the user may do comes from the API's policy (`actions`), never re-derived here. */
export interface Me {
  kind: 'anonymous' | 'user';
  id?: string;
  name?: string;
  email?: string;
  isAdmin: boolean;
  providerIds: string[];
  memberships: { providerId: string; role: 'data_manager' | 'viewer' }[];
  actions: ('import' | 'createCollection' | 'reviewRequests' | 'admin')[];
}

export const ANONYMOUS: Me = { kind: 'anonymous', isAdmin: false, providerIds: [], memberships: [], actions: [] };

/** A label for the user's role, for the header and the sign-in list. */
export function roleLabel(u: Pick<Me, 'isAdmin' | 'memberships'>): string | undefined {
  if (u.isAdmin) return 'admin';
  if (u.memberships.some((m) => m.role === 'data_manager')) return 'data manager';
  if (u.memberships.length) return 'viewer';
  return undefined;
}
