/** The new/edit form actions: send the document, map problem+json back onto the form. */
import { fail, redirect } from '@sveltejs/kit';
import type { Collection } from '$schemas/collection';
import { ApiError, api, collectionHref, collectionPath, groupErrors, type Fetch } from '$lib/api';
import { fieldOf, type FieldErrors, type FormValues } from '$lib/collection-fields';
import type { FieldError } from '$schemas/common';
import { fail500 } from './errors';
import { readValues, toDocument } from './collection-form';

interface FormFailure {
  values: FormValues;
  errors: FieldErrors;
  otherErrors: FieldError[];
  message: string;
  conflict?: { latestRevision?: number; reloadHref: string };
}

const formFail = (status: number, f: Pick<FormFailure, 'values' | 'message'> & Partial<FormFailure>) =>
  fail(status, { errors: {}, otherErrors: [], ...f } satisfies FormFailure);

function failed(e: ApiError, values: FormValues, conflict?: FormFailure['conflict']) {
  const { byField, other } = groupErrors(e.errors, fieldOf);
  const message =
    e.status === 422 || e.status === 400
      ? e.detail && e.detail !== 'Validation failed'
        ? e.detail
        : 'Please correct the highlighted fields.'
      : (e.detail ?? e.title);
  return formFail(e.status, { values, errors: byField, otherErrors: other, message, conflict });
}

export async function createAction(fetch: Fetch, request: Request) {
  const values = readValues(await request.formData());
  let created: Collection;
  try {
    ({ data: created } = await api<Collection>(fetch, '/api/v1/collections', { method: 'POST', body: toDocument(values) }));
  } catch (e) {
    if (e instanceof ApiError && e.status < 500) return failed(e, values);
    fail500(e);
  }
  redirect(303, `${collectionHref(created.id)}?saved=created`);
}

export async function updateAction(fetch: Fetch, request: Request, id: string) {
  const form = await request.formData();
  const values = readValues(form);
  const revision = String(form.get('overwriteRevision') || form.get('revision') || '');
  // The stored document is the base: fields this form does not show are sent back unchanged.
  let current: Collection;
  try {
    const { data } = await api<Collection>(fetch, collectionPath(id));
    if (!('description' in data))
      return formFail(409, { values, message: 'This collection was withdrawn; publish it again before editing.' });
    current = data;
  } catch (e) {
    if (e instanceof ApiError && e.status < 500) return failed(e, values);
    fail500(e);
  }
  try {
    await api<Collection>(fetch, collectionPath(id), {
      method: 'PUT',
      body: toDocument(values, current),
      headers: { 'if-match': `"${revision}"` },
    });
  } catch (e) {
    if (e instanceof ApiError && e.status === 412) {
      return failed(e, values, { latestRevision: current.revision, reloadHref: `${collectionHref(id)}/edit` });
    }
    if (e instanceof ApiError && e.status < 500) return failed(e, values);
    fail500(e);
  }
  redirect(303, `${collectionHref(id)}?saved=updated`);
}
