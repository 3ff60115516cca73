/** Small shared types of the web app (the API's own shapes come from $schemas). */
export const SESSION_COOKIE = 'session';

export interface Me {
  kind: 'anonymous' | 'user';
  id?: string;
  name?: string;
  email?: string;
  isAdmin: boolean;
  providerIds: string[];
}

export const ANONYMOUS: Me = { kind: 'anonymous', isAdmin: false, providerIds: [] };

/** May this user edit (and publish, withdraw, delete) collections of `providerId`? */
export const canManage = (me: Me, providerId: string) =>
  me.kind === 'user' && (me.isAdmin || me.providerIds.includes(providerId));

/** Data managers of any provider and admins may import. */
export const canImport = (me: Me) => me.kind === 'user' && (me.isAdmin || me.providerIds.length > 0);
