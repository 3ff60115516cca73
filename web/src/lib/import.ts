/** Reading an import file (a JSON list, or {collections:[…]}) and streaming the API's NDJSON progress. */
import type { ImportReport } from '$schemas/import';
import { errorFrom } from '$lib/api';

export interface ParsedImport {
  collections: unknown[];
}

/** Parse pasted or uploaded text; throws an Error with a readable message. */
export function parseImport(text: string): ParsedImport {
  if (!text.trim()) throw new Error('Paste a JSON list of collections or choose a file.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`This is not valid JSON: ${(e as Error).message}`);
  }
  if (Array.isArray(value)) return { collections: value };
  if (value && typeof value === 'object' && Array.isArray((value as { collections?: unknown }).collections)) {
    return { collections: (value as { collections: unknown[] }).collections };
  }
  if (value && typeof value === 'object') return { collections: [value] };
  throw new Error('Expected a JSON list of collection documents, or an object {"collections": [...]}.');
}

/** POST /api/v1/import asking for NDJSON progress; calls onProgress, resolves with the report. */
export async function streamImport(
  body: { collections: unknown[]; publish: boolean; dryRun: boolean },
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<ImportReport> {
  const res = await fetch('/api/v1/import', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
    signal,
  });
  if (!res.ok) throw await errorFrom(res);
  if (!res.body || !(res.headers.get('content-type') ?? '').includes('ndjson')) return (await res.json()) as ImportReport;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let report: ImportReport | undefined;
  const handle = (line: string) => {
    if (!line.trim()) return;
    const msg = JSON.parse(line) as { progress?: { done: number; total: number }; report?: ImportReport; error?: { detail?: string } };
    if (msg.progress) onProgress(msg.progress.done, msg.progress.total);
    if (msg.report) report = msg.report;
    if (msg.error) throw new Error(msg.error.detail ?? 'The import stopped.');
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      handle(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  }
  handle(buffer + decoder.decode());
  if (!report) throw new Error('The server ended the import without a report.');
  return report;
}
