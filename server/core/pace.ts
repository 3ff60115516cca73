/**
 * Long work (import, reindex, seed) shares the process with the requests: with the embedded
 * PGlite, every query runs on the main thread and an await chain of them never returns to the
 * event loop, so one bulk import would stall every other request (and its own progress stream)
 * until it ends. Long loops call `yieldToEventLoop()` between their bounded steps (one record,
 * one batch) so pending I/O — other requests, progress lines — is served in between.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
