/**
 * LISTEN on a connection of its own that reports whether it is listening: `onState(false)` as soon
 * as the connection closes (notifications may be lost from then on), `onState(true)` once LISTEN
 * is in place again. Used where missing a notification would matter (search's pending-outbox state);
 * plain wake-ups use postgres.js's shared listener.
 */
import postgres from 'postgres';

export async function listenTracked(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
  onState: (listening: boolean) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  const statement = `listen "${channel.replace(/"/g, '""')}"`;
  // `onnotify` is a postgres.js option its types leave out (its own listen() uses it).
  const options = {
    max: 1,
    // Never closed for idleness or age (0 = no timer).
    idle_timeout: 0,
    max_lifetime: 0,
    fetch_types: false,
    connect_timeout: 5,
    onnotice: () => {},
    onnotify: (c: string, payload: string) => {
      if (c === channel) onNotify(payload);
    },
    onclose: () => {
      onState(false);
      if (!stopped) void relisten();
    },
  };
  const sql = postgres(url, options as postgres.Options<Record<string, never>>);
  async function relisten() {
    for (let delay = 50; !stopped; delay = Math.min(delay * 2, 2000)) {
      try {
        await sql.unsafe(statement);
        if (!stopped) onState(true);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
  await sql.unsafe(statement);
  onState(true);
  return async () => {
    stopped = true;
    onState(false);
    await sql.end({ timeout: 5 });
  };
}
