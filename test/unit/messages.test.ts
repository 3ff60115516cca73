/** Field errors read as sentences with the field's label and the limit, not validator output. */
import { describe, expect, it } from 'vitest';
import { CollectionInput } from '../../schemas/collection.js';
import { issuesToFieldErrors } from '../../server/http/validate.js';

const errorsFor = (doc: Record<string, unknown>) => {
  const r = CollectionInput.safeParse({
    providerId: 'p1',
    title: 'T',
    description: 'D',
    xnat: { instance: 'https://x.org', projectId: 'P', visibility: 'public' },
    ...doc,
  });
  if (r.success) throw new Error('expected errors');
  return Object.fromEntries(issuesToFieldErrors(r.error.issues).map((e) => [e.path, e.message]));
};

describe('human field-error messages', () => {
  it('names the field and the limit', () => {
    const e = errorsFor({ subjectsCount: -1, title: '', description: 'x'.repeat(20001), age: { low: 200 } });
    expect(e.subjectsCount).toBe('Subjects must be 0 or more');
    expect(e.title).toBe('Title is required');
    expect(e.description).toBe('Description is too long: at most 20,000 characters');
    expect(e['age.low']).toBe('Youngest age must be 150 or less');
  });

  it('explains formats, kinds and choices', () => {
    const e = errorsFor({
      landingPage: 'foo',
      countsAsOf: '2024',
      studiesCount: 'many',
      xnat: { instance: 'https://x.org', projectId: 'P', visibility: 'secret' },
    });
    expect(e.landingPage).toBe('Landing page must be a web address starting with https:// (or http://)');
    expect(e.countsAsOf).toBe('Counts as of must be a date written like 2024-05-31');
    expect(e.studiesCount).toBe('Studies must be a number');
    expect(e['xnat.visibility']).toBe('XNAT visibility must be one of: public, protected, private');
    for (const m of Object.values(e)) expect(m).not.toMatch(/Too small|Invalid input|expected number|>=/);
  });

  it('names the allowed values of a closed vocabulary', () => {
    expect(errorsFor({ accessRights: 'Sometimes' }).accessRights).toBe(
      '"Sometimes" is not a recognised value; use one of: Public, Restricted, Non-public',
    );
  });
});
