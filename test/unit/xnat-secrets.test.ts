/** XNAT credentials at rest: AES-256-GCM, tamper-evident, key from config or the data directory. */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { decrypt, encrypt, loadOrCreateKey, openCredentials, sealCredentials } from '../../server/xnat/secrets.js';

describe('credential encryption', () => {
  const key = Buffer.alloc(32, 7);
  it('round-trips and never stores the secret in clear', () => {
    const sealed = sealCredentials(key, { kind: 'token', alias: 'a1', secret: 'very-secret-value' });
    expect(sealed).not.toContain('very-secret-value');
    expect(openCredentials(key, sealed)).toEqual({ kind: 'token', alias: 'a1', secret: 'very-secret-value' });
    expect(encrypt(key, 'x')).not.toBe(encrypt(key, 'x')); // fresh IV each time
  });
  it('refuses a tampered value or the wrong key', () => {
    const sealed = encrypt(key, 'hello');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('jello').toString('base64url');
    expect(() => decrypt(key, parts.join('.'))).toThrow();
    expect(() => decrypt(Buffer.alloc(32, 8), sealed)).toThrow();
  });
  it('generates a key once into the data directory (0600) and reuses it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xnat-key-'));
    const a = loadOrCreateKey(undefined, dir);
    const b = loadOrCreateKey(undefined, dir);
    expect(a.equals(b)).toBe(true);
    expect(statSync(path.join(dir, 'xnat-secret.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, 'xnat-secret.key'), 'utf8')).toBe(a.toString('base64'));
    const hex = 'ab'.repeat(32);
    expect(loadOrCreateKey(hex, dir).toString('hex')).toBe(hex);
  });
  it('XNAT_SECRET_KEY must be 32 bytes', () => {
    expect(() => loadConfig({ XNAT_SECRET_KEY: 'short' })).toThrow(/XNAT_SECRET_KEY/);
    expect(loadConfig({ XNAT_SECRET_KEY: 'ab'.repeat(32) }).xnat.secretKey).toBe('ab'.repeat(32));
    expect(loadConfig({}).xnat.emulator).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', DEV_AUTH: 'true' }).xnat.emulator).toBe(false);
  });
});
