/**
 * Configuration, parsed once at start-up from the environment. Modules receive the parsed `Config`;
 * nothing else reads `process.env`. A bad value stops start-up with one line per bad key.
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  MEILI_URL: z.url().optional(),
  MEILI_API_KEY: z.string().min(1).optional(),
  MEILI_INDEX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('collections'),
  MEILI_BINARY: z.string().optional(),
  OIDC_ISSUER: z.url().optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_JWKS_URL: z.url().optional(),
  /** Web sign-in through the issuer (authorization code + PKCE); read by the web app. */
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().min(1).default('openid profile email'),
  DEV_AUTH: bool.optional(),
  ADMIN_USERS: z.string().default(''),
  SEED: bool.optional(),
  SEARCH_WORKER: bool.default(true),
  /** Run background job handlers in this process (false: API only, `npm run worker` runs them). */
  JOBS_WORKER: bool.default(true),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  IMPORT_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  /** OAI-PMH / DCAT export: records per page, repository name, oai-identifier domain, admin e-mail. */
  OAI_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  OAI_REPOSITORY_NAME: z.string().min(1).max(200).default('DICOM-MIABIS catalogue of cancer-imaging collections'),
  OAI_REPOSITORY_ID: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/, 'a domain name such as catalogue.example.org')
    .optional(),
  OAI_ADMIN_EMAIL: z.email().optional(),
  /** 32 bytes (base64 or hex) encrypting XNAT credentials at rest; embedded default: generated under DATA_DIR. */
  XNAT_SECRET_KEY: z
    .string()
    .refine((v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32, 'must be 32 bytes as 64 hex digits or base64')
    .optional(),
  /** Start the XNAT emulator and register it as the demo instance (default: on in the embedded default). */
  XNAT_EMULATOR: bool.optional(),
  XNAT_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Outgoing mail (smtp://user:pass@host:port); unset: mail is captured and shown at /api/v1/dev/mail. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('DICOM-MIABIS catalogue <no-reply@catalogue.localhost>'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  publicUrl?: string;
  dataDir: string;
  db: { kind: 'postgres'; url: string; poolSize: number } | { kind: 'pglite'; dir: string };
  meili:
    { kind: 'external'; url: string; apiKey?: string; index: string } | { kind: 'embedded'; dir: string; index: string; binary?: string };
  auth: {
    devAuth: boolean;
    oidc?: { issuer: string; audience?: string; jwksUrl?: string; clientId?: string; scopes: string };
    adminUsers: string[];
  };
  seedOnEmpty: boolean;
  searchWorker: boolean;
  jobsWorker: boolean;
  bodyLimitBytes: number;
  importBodyLimitBytes: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  oai: { pageSize: number; repositoryName: string; repositoryId?: string; adminEmail?: string };
  xnat: { secretKey?: string; emulator: boolean; emulatorPort: number };
  mail: { smtpUrl?: string; from: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.OIDC_ISSUER && !e.OIDC_AUDIENCE) problems.push('OIDC_AUDIENCE: required when OIDC_ISSUER is set');
  if (e.OIDC_CLIENT_ID && !e.OIDC_ISSUER) problems.push('OIDC_ISSUER: required when OIDC_CLIENT_ID is set');
  if (e.MEILI_URL && !e.MEILI_API_KEY && !/^https?:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(e.MEILI_URL)) {
    problems.push('MEILI_API_KEY: required when MEILI_URL points at a non-local Meilisearch');
  }
  const devAuth = e.DEV_AUTH ?? !e.OIDC_ISSUER;
  if (!devAuth && !e.OIDC_ISSUER) problems.push('OIDC_ISSUER: required when DEV_AUTH is off (nobody could sign in)');
  if (problems.length) throw new ConfigError(problems);

  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    dataDir,
    db: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dir: path.join(dataDir, 'pglite') },
    meili: e.MEILI_URL
      ? { kind: 'external', url: e.MEILI_URL, apiKey: e.MEILI_API_KEY, index: e.MEILI_INDEX }
      : { kind: 'embedded', dir: path.join(dataDir, 'meili'), index: e.MEILI_INDEX, binary: e.MEILI_BINARY },
    auth: {
      devAuth,
      oidc: e.OIDC_ISSUER
        ? { issuer: e.OIDC_ISSUER, audience: e.OIDC_AUDIENCE, jwksUrl: e.OIDC_JWKS_URL, clientId: e.OIDC_CLIENT_ID, scopes: e.OIDC_SCOPES }
        : undefined,
      adminUsers: e.ADMIN_USERS.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    },
    seedOnEmpty: e.SEED ?? !e.DATABASE_URL,
    searchWorker: e.SEARCH_WORKER,
    jobsWorker: e.JOBS_WORKER,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    importBodyLimitBytes: e.IMPORT_BODY_LIMIT_BYTES,
    logLevel: e.LOG_LEVEL,
    oai: {
      pageSize: e.OAI_PAGE_SIZE,
      repositoryName: e.OAI_REPOSITORY_NAME,
      repositoryId: e.OAI_REPOSITORY_ID,
      adminEmail: e.OAI_ADMIN_EMAIL,
    },
    xnat: { secretKey: e.XNAT_SECRET_KEY, emulator: e.XNAT_EMULATOR ?? !e.DATABASE_URL, emulatorPort: e.XNAT_EMULATOR_PORT },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
  };
}
