/**
 * XNAT's table representations (contract §3.2): the `ResultSet` JSON with every cell a string and
 * meta values as strings, and CSV with a header line (pyxnat reads CSV only). Plus Restlet's HTML
 * status page for errors raised before a resource exists.
 */

export interface Table {
  columns: string[];
  rows: Record<string, string | number | boolean | null | undefined>[];
  title?: string;
  totalRecords?: boolean;
}

export function tableJson(t: Table): string {
  const rows = t.rows.map((r) => Object.fromEntries(t.columns.map((c) => [c, r[c] === null || r[c] === undefined ? '' : String(r[c])])));
  const meta: string[] = [];
  if (t.title) meta.push(`"title": ${JSON.stringify(t.title)}`);
  if (t.totalRecords !== false) meta.push(`"totalRecords": "${rows.length}"`);
  return `{"ResultSet":{"Result":${JSON.stringify(rows)}${meta.length ? `, ${meta.join(',')}` : ''}}}`;
}

/** `StringEscapeUtils.escapeCsv`: quote when the value holds a comma, quote or line break. */
export function escapeCsv(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function tableCsv(t: Table): string {
  const cell = (v: unknown) => escapeCsv(v === null || v === undefined ? '' : String(v));
  return [t.columns.join(','), ...t.rows.map((r) => t.columns.map((c) => cell(r[c])).join(','))].map((l) => `${l}\n`).join('');
}

export function tableHtml(t: Table): string {
  const esc = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const head = t.columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${t.columns.map((c) => `<td>${esc(r[c])}</td>`).join('')}</tr>`).join('');
  return `<html><body><table><tr>${head}</tr>${body}</table></body></html>`;
}

export function statusPage(description: string): string {
  const esc = description.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<html><head><title>Status page</title></head><body style="font-family: sans-serif;"><h3>${esc}</h3><p>You can get technical details <a href="http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html">here</a>.<br>Please continue your visit at our <a href="/">home page</a>.</p></body></html>`;
}

/** Tomcat's error page (what Spring Security's `sendError` produces for a 401). */
export function containerErrorPage(status: number, message: string): string {
  return `<!doctype html><html lang="en"><head><title>HTTP Status ${status} – Unauthorized</title></head><body><h1>HTTP Status ${status} – Unauthorized</h1><p><b>Message</b> ${message}</p></body></html>`;
}

export const PROJECT_USER_COLUMNS = ['GROUP_ID', 'displayname', 'login', 'firstname', 'lastname', 'email'];
