/**
 * Integration-test database setup: one migrated template database per migration set on the real
 * PostgreSQL server (TEST_DATABASE_URL, DATABASE_URL, or the local server on 127.0.0.1:5432);
 * each test file then clones its own database from it (test/helpers/db.ts).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../server/db/client.js';

export const adminUrl = () => process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  const dir = new URL('../../server/db/migrations/', import.meta.url);
  const hash = createHash('sha256');
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort())
    hash.update(readFileSync(new URL(f, dir)));
  const template = `dm_template_${hash.digest('hex').slice(0, 12)}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_advisory_lock(7716002)`;
    const [exists] = await admin`select 1 from pg_database where datname = ${template}`;
    if (!exists) {
      await admin.unsafe(`create database "${template}_wip"`);
      const db = await openDatabase({ kind: 'postgres', url: withDatabase(adminUrl(), `${template}_wip`), poolSize: 1 });
      await db.migrate();
      await db.close();
      await admin.unsafe(`alter database "${template}_wip" rename to "${template}"`);
    }
    await admin`select pg_advisory_unlock(7716002)`;
  } catch (e) {
    throw new Error(
      `Integration tests need PostgreSQL at ${adminUrl().replace(/:[^:@/]*@/, ':***@')} (set TEST_DATABASE_URL): ${(e as Error).message}`,
    );
  } finally {
    await admin.end();
  }
  project.provide('templateDb', template);
  project.provide('adminDbUrl', adminUrl());
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
    adminDbUrl: string;
  }
}
