/** Reseeding wipes the catalogue: only ever on this machine. */
export function isLocalDatabaseUrl(url: string): boolean {
  try {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return (
      host === '' || host === 'localhost' || host === '127.0.0.1' || host === '::1' || (u.searchParams.get('host') ?? '').startsWith('/')
    );
  } catch {
    return false;
  }
}
