/**
 * A TCP proxy that can simulate a network partition between the app and PostgreSQL: the host stops
 * answering (packets dropped), as opposed to refusing connections. While partitioned nothing is
 * forwarded and nothing is closed: bytes written on existing connections stay unread in the socket
 * buffers (like segments waiting for retransmission), new connections are accepted but never reach
 * the database (like an unanswered SYN: only the client's own timeout ends them), and closes are
 * held back too. `heal()` delivers what was held, as TCP retransmission would after a short
 * partition; `heal({ lost: true })` resets the connections instead, as when the other side's state
 * is gone (database host restarted, NAT state expired). `partition({ repliesOnly: true })` drops only
 * what the database sends: what the app sends still arrives (and is executed), the answers do not.
 */
import net from 'node:net';

export interface PartitionProxy {
  port: number;
  /** `url` with host and port replaced by the proxy's. */
  via(url: string): string;
  partition(opts?: { repliesOnly?: boolean }): void;
  heal(opts?: { lost?: boolean }): void;
  /** Connections the proxy holds (both directions counted once). */
  connections(): number;
  close(): Promise<void>;
}

interface Link {
  client: net.Socket;
  upstream?: net.Socket;
}

export async function startPartitionProxy(target: { host: string; port: number }): Promise<PartitionProxy> {
  let partitioned = false;
  let repliesOnly = false;
  const links = new Set<Link>();
  // What happens on the far side of the partition waits for it to heal.
  let held: (() => void)[] = [];
  const later = (fn: () => void) => (partitioned ? held.push(fn) : fn());

  const open = (link: Link) => {
    const { client } = link;
    if (client.destroyed) return void links.delete(link);
    const upstream = net.connect(target.port, target.host);
    link.upstream = upstream;
    upstream.on('error', () => {});
    upstream.on('data', (d) => client.write(d));
    client.on('data', (d) => upstream.write(d));
    upstream.on('close', () => later(() => (client.destroy(), links.delete(link))));
    client.on('close', () => (repliesOnly ? upstream.destroy() : later(() => (upstream.destroy(), links.delete(link)))));
    if (partitioned) upstream.pause();
    else client.resume();
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    client.on('error', () => {});
    const link: Link = { client };
    links.add(link);
    later(() => open(link));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    partition(opts = {}) {
      partitioned = true;
      repliesOnly = opts.repliesOnly ?? false;
      for (const { client, upstream } of links) {
        if (!repliesOnly) client.pause();
        upstream?.pause();
      }
    },
    heal(opts = {}) {
      partitioned = repliesOnly = false;
      const pending = held;
      held = [];
      for (const link of links) {
        if (opts.lost && link.upstream) {
          link.client.resetAndDestroy();
          link.upstream.destroy();
          links.delete(link);
        } else if (link.upstream) {
          link.client.resume();
          link.upstream.resume();
        }
      }
      for (const fn of pending) fn();
    },
    connections: () => links.size,
    async close() {
      partitioned = false;
      held = [];
      for (const { client, upstream } of links) {
        client.destroy();
        upstream?.destroy();
      }
      links.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
