/**
 * Node/V8 flags every long-running server process is started with (`npm start`, `npm run worker`,
 * the benchmarks' API processes). V8 refuses them in NODE_OPTIONS, so they sit on the command line;
 * a unit test keeps package.json's scripts in step with this list. Why each one: ADR 0013.
 */
export const SERVER_NODE_FLAGS = [
  // Full collections when the old generation has grown 60 % over what survived the last one, not
  // V8's adaptive up-to-4×: a harvest's garbage then costs ~25 MB of RSS instead of ~100 MB, at no
  // measured throughput cost (docs/performance.md, "Memory").
  '--heap-growing-percent=60',
] as const;
