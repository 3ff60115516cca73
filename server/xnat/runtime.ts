/**
 * Process-wide settings of the XNAT module, set once at start-up (`configureXnat`): the key for the
 * stored credentials and the HTTP timeouts. Clients are kept per instance so one JSESSIONID serves
 * every job of this process (XNAT caps sessions per user).
 */
import { xnatCalls } from '../metrics/index.js';
import { XnatClient } from './client.js';
import type { InstanceRow } from './queries.js';
import { openCredentials } from './secrets.js';

export interface XnatSettings {
  key: Buffer;
  timeoutMs: number;
  /** How long a job waits for another worker to finish with the same project. */
  leaseWaitMs: number;
  leaseTtlMs: number;
}

let settings: XnatSettings | undefined;
const clients = new Map<string, { stamp: number; client: XnatClient }>();

export function configureXnat(s: Partial<XnatSettings> & { key: Buffer }): void {
  settings = { timeoutMs: 10_000, leaseWaitMs: 30_000, leaseTtlMs: 120_000, ...s };
  clients.clear();
}

export function xnatSettings(): XnatSettings {
  if (!settings) throw new Error('XNAT module not configured (configureXnat)');
  return settings;
}

export function clientFor(instance: InstanceRow): XnatClient {
  const s = xnatSettings();
  const stamp = instance.modifiedAt.getTime();
  const cached = clients.get(instance.id);
  if (cached && cached.stamp === stamp) return cached.client;
  const client = new XnatClient({
    baseUrl: instance.url,
    credentials: openCredentials(s.key, instance.credentials),
    timeoutMs: s.timeoutMs,
    onRequest: (e) => xnatCalls.inc({ method: e.method, status: String(e.status) }),
  });
  clients.set(instance.id, { stamp, client });
  return client;
}

/** Close every cached session (shutdown). */
export async function closeClients(): Promise<void> {
  await Promise.all([...clients.values()].map((c) => c.client.close()));
  clients.clear();
}
