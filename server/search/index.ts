/**
 * The search module's public surface: the runtime (Meilisearch, index, outbox worker, routes,
 * readiness) and its jobs. Writers never touch the index: they queue outbox rows in their own
 * transaction, and the worker applies them (woken by NOTIFY on commit, polling as a fallback).
 */
export { createSearch, startSearch, type SearchOptions, type SearchRuntime, type SearchServices } from './runtime.js';
export { jobs } from './jobs.js';
export { queueIndexUpdate } from './outbox-worker.js';
