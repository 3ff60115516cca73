/** A small leveled logger: one line per event, progress lines rewritten in place on a terminal. */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

export function createLogger(level: LogLevel = 'info') {
  const on = (l: LogLevel) => LEVELS[l] >= LEVELS[level];
  const stamp = () => new Date().toISOString();
  return {
    debug: (m: string) => on('debug') && console.log(`${stamp()} debug ${m}`),
    info: (m: string) => on('info') && console.log(`${stamp()} info  ${m}`),
    warn: (m: string) => on('warn') && console.warn(`${stamp()} warn  ${m}`),
    error: (m: string, e?: unknown) => on('error') && console.error(`${stamp()} error ${m}`, e instanceof Error ? e.stack : (e ?? '')),
    progress: (m: string) => {
      if (!on('info')) return;
      if (process.stdout.isTTY) process.stdout.write(`\r${m}   `);
      else console.log(`${stamp()} info  ${m}`);
    },
  };
}
export type Logger = ReturnType<typeof createLogger>;
