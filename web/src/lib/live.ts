/**
 * Debounced JSON GETs for type-ahead (suggestions, facet-value search): each `run` cancels the
 * pending timer and the request still in flight, so only the latest answer is ever delivered.
 * Browser-only; failures (offline, 503 while search is down, aborted) deliver `undefined`.
 */
export interface Debounced {
  /** Fetch `path` after the delay; `undefined` clears at once (delivers `undefined`). */
  run(path: string | undefined): void;
  cancel(): void;
}

export function debouncedJson<T>(delayMs: number, deliver: (data: T | undefined) => void): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;
  const cancel = () => {
    clearTimeout(timer);
    inFlight?.abort();
    inFlight = undefined;
  };
  return {
    run(path) {
      cancel();
      if (path === undefined) return deliver(undefined);
      timer = setTimeout(async () => {
        const ctrl = (inFlight = new AbortController());
        try {
          const res = await fetch(path, { headers: { accept: 'application/json' }, signal: ctrl.signal });
          const data = res.ok ? ((await res.json()) as T) : undefined;
          if (!ctrl.signal.aborted) deliver(data);
        } catch {
          if (!ctrl.signal.aborted) deliver(undefined);
        }
      }, delayMs);
    },
    cancel,
  };
}
