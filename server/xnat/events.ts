/**
 * The seam towards the access workflow: listeners learn when a grant is confirmed in XNAT, ended,
 * or has failed. They run inside the transaction that records the outcome, so the access item
 * moves together with the grant row (or neither does).
 */
import type { ServiceContext } from '../core/context.js';

export type GrantState = 'active' | 'revoked' | 'expired' | 'failed';

export interface GrantStateChange {
  /** The access item the grant was requested for. */
  itemId: string;
  state: GrantState;
  at: Date;
  /** Why (for revoked: revoked | withdrawn; for failed: the error). */
  reason?: string;
  /** e.g. "already owner in XNAT (not granted by this service)". */
  note?: string;
}

export type GrantStateListener = (ctx: ServiceContext, change: GrantStateChange) => Promise<void>;

const listeners: GrantStateListener[] = [];

/** Register a listener; returns a function that removes it. */
export function onGrantStateChange(listener: GrantStateListener): () => void {
  listeners.push(listener);
  return () => {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  };
}

export async function emitGrantState(ctx: ServiceContext, change: GrantStateChange): Promise<void> {
  for (const l of listeners) await l(ctx, change);
}
