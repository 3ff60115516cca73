import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('loadConfig', () => {
  it('gives the embedded default with no environment', () => {
    const c = loadConfig({});
    expect(c.db.kind).toBe('pglite');
    expect(c.meili.kind).toBe('embedded');
    expect(c.auth.devAuth).toBe(true);
    expect(c.seedOnEmpty).toBe(true);
    expect(c.port).toBe(3000);
  });

  it('uses production services when their URLs are set, with dev auth off', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://app@db.internal:5432/catalogue',
      MEILI_URL: 'https://search.internal',
      MEILI_API_KEY: 'k'.repeat(32),
      OIDC_ISSUER: 'https://login.example.org/realms/eucaim',
      OIDC_AUDIENCE: 'catalogue',
    });
    expect(c.db).toMatchObject({ kind: 'postgres', url: 'postgres://app@db.internal:5432/catalogue' });
    expect(c.meili).toMatchObject({ kind: 'external', url: 'https://search.internal' });
    expect(c.auth.devAuth).toBe(false);
    expect(c.auth.oidc).toMatchObject({ issuer: 'https://login.example.org/realms/eucaim', audience: 'catalogue' });
    expect(c.seedOnEmpty).toBe(false);
  });

  it('names every bad key in one readable error', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('PORT');
    expect(msg).toContain('DATABASE_URL');
    expect(msg).toContain('LOG_LEVEL');
    expect((err as ConfigError).problems).toHaveLength(3);
  });

  it('refuses an OIDC issuer without an audience, and a remote Meilisearch without a key', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'https://login.example.org' })).toThrow(/OIDC_AUDIENCE/);
    expect(() => loadConfig({ MEILI_URL: 'https://search.example.org' })).toThrow(/MEILI_API_KEY/);
    expect(() => loadConfig({ MEILI_URL: 'http://127.0.0.1:7700' })).not.toThrow();
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).db.kind).toBe('pglite');
  });
});
