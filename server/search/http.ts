/**
 * The search hot path talks to Meilisearch through undici's connection pool (the HTTP/1.1 client
 * behind Node's fetch, used without fetch's WHATWG layers): it costs the API less CPU per request
 * than node:http, and far less than fetch (docs/performance.md). Everything else uses the official client.
 */
import { Pool, errors } from 'undici';

/** Meilisearch could not be reached or did not answer in time. */
export class MeiliUnavailable extends Error {
  override name = 'MeiliUnavailable';
}

/** Meilisearch answered with an error status. */
export class MeiliHttpError extends Error {
  override name = 'MeiliHttpError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export class MeiliHttp {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly headers: Record<string, string>;

  constructor(
    host: string,
    apiKey: string | undefined,
    private readonly timeoutMs = 10_000,
  ) {
    const base = new URL(/^https?:\/\//.test(host) ? host : `http://${host}`);
    this.basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
    this.pool = new Pool(base.origin, { connections: 256, keepAliveTimeout: 30_000 });
    this.headers = { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) };
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    let status: number;
    let text: string;
    try {
      const res = await this.pool.request({
        method: 'POST',
        path: this.basePath + path,
        headers: this.headers,
        body: JSON.stringify(body),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (e) {
      const message =
        e instanceof errors.HeadersTimeoutError || e instanceof errors.BodyTimeoutError
          ? `no answer within ${this.timeoutMs} ms`
          : (e as Error).message;
      throw new MeiliUnavailable(message);
    }
    let json: { code?: string; message?: string };
    try {
      json = JSON.parse(text);
    } catch {
      throw new MeiliUnavailable(`Meilisearch answered ${status} without JSON`);
    }
    if (status >= 200 && status < 300) return json as T;
    throw new MeiliHttpError(status, json?.code, json?.message ?? `HTTP ${status}`);
  }

  close() {
    void this.pool.destroy();
  }
}
