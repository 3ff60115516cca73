/** Browse collections: the list API with cursor paging and its simple filters. */
import type { CollectionSummary } from '$schemas/collection';
import type { Provider } from '$schemas/provider';
import { ApiError, getJson, qs } from '$lib/api';
import { fail500 } from '$lib/server/errors';
import { BODY_PARTS, MODALITIES } from '$schemas/vocab/index';
import type { PageServerLoad } from './$types';

const LIMIT = 25;
// Suggestions for the code filters (the list API matches codes exactly).
const suggestions = {
  modality: MODALITIES.filter((m) => m.common).map((m) => ({ code: m.code, label: m.label })),
  bodyPart: BODY_PARTS.map((b) => ({ code: b.code, label: b.label })),
};

export const load: PageServerLoad = async ({ fetch, url }) => {
  const p = url.searchParams;
  const filters = {
    q: p.get('q')?.trim() ?? '',
    providerId: p.get('providerId') ?? '',
    modality: p.get('modality')?.trim().toUpperCase() ?? '',
    bodyPart: p.get('bodyPart')?.trim().toUpperCase() ?? '',
    state: p.get('state') ?? '',
  };
  const cursor = p.get('cursor') ?? undefined;
  const providersP = getJson<{ items: Provider[] }>(fetch, '/api/v1/providers').catch(() => ({ items: [] as Provider[] }));
  try {
    const page = await getJson<{ items: CollectionSummary[]; nextCursor?: string }>(
      fetch,
      `/api/v1/collections${qs({ ...filters, cursor, limit: LIMIT })}`,
    );
    const providers = (await providersP).items.map((x) => ({ id: x.id, name: x.name })).sort((a, b) => a.name.localeCompare(b.name));
    return { ...page, filters, providers, suggestions, paged: !!cursor, badFilter: undefined as string | undefined };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 400 || e.status === 422)) {
      const providers = (await providersP).items.map((x) => ({ id: x.id, name: x.name }));
      const msg = e.errors.map((x) => `${x.path.replace(/^query\./, '')}: ${x.message}`).join('; ') || e.detail || e.title;
      return { items: [] as CollectionSummary[], nextCursor: undefined, filters, providers, suggestions, paged: !!cursor, badFilter: msg };
    }
    fail500(e);
  }
};
