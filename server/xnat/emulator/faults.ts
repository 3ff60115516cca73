/**
 * Fault injection for the XNAT emulator: tests make it slow, fail with a status, drop the connection
 * (before or after applying the change: the second is the case that tempts a client to apply twice)
 * or hang until the client gives up.
 */

export type FaultKind =
  /** Answer with `status` without doing anything. */
  | 'status'
  /** Close the connection without doing anything. */
  | 'drop'
  /** Do the work, then close the connection without an answer. */
  | 'drop-after'
  /** Never answer (the client's timeout fires); the work is not done. */
  | 'hang';

export interface Fault {
  kind: FaultKind;
  status?: number;
  /** Only requests with this method (upper case). */
  method?: string;
  /** Only requests whose path (after /REST and /archive normalisation) matches. */
  path?: string | RegExp;
  /** How many requests it hits; default unlimited until cleared. */
  count?: number;
  /** Hit only every n-th matching request (1 = all). */
  every?: number;
}

interface ActiveFault extends Fault {
  id: number;
  seen: number;
  hits: number;
}

export class Faults {
  private list: ActiveFault[] = [];
  private nextId = 1;
  /** Added to every request before it is handled. */
  latencyMs = 0;

  add(f: Fault): number {
    const id = this.nextId++;
    this.list.push({ ...f, id, seen: 0, hits: 0 });
    return id;
  }

  remove(id: number): void {
    this.list = this.list.filter((f) => f.id !== id);
  }

  clear(): void {
    this.list = [];
    this.latencyMs = 0;
  }

  get active(): readonly Fault[] {
    return this.list;
  }

  /** The fault that hits this request, if any (counts it). */
  take(method: string, path: string): Fault | undefined {
    for (const f of this.list) {
      if (f.method && f.method !== method) continue;
      if (f.path !== undefined && !(typeof f.path === 'string' ? path.startsWith(f.path) : f.path.test(path))) continue;
      f.seen++;
      if (f.every && f.every > 1 && f.seen % f.every !== 0) continue;
      if (f.count !== undefined && f.hits >= f.count) continue;
      f.hits++;
      return f;
    }
    return undefined;
  }
}

/** A fault as posted to `/_emulator/faults` (the path is a regular expression source). */
export function parseFault(body: unknown): Fault {
  const b = (body ?? {}) as Record<string, unknown>;
  const kinds = ['status', 'drop', 'drop-after', 'hang'];
  if (typeof b.kind !== 'string' || !kinds.includes(b.kind)) throw new Error(`kind must be one of ${kinds.join(', ')}`);
  const num = (k: string) => (typeof b[k] === 'number' ? (b[k] as number) : undefined);
  return {
    kind: b.kind as FaultKind,
    status: num('status') ?? (b.kind === 'status' ? 503 : undefined),
    method: typeof b.method === 'string' ? b.method.toUpperCase() : undefined,
    path: typeof b.path === 'string' ? new RegExp(b.path) : undefined,
    count: num('count'),
    every: num('every'),
  };
}
