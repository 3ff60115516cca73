import { expect } from 'vitest';

/**
 * The matrix covers exactly what exists: every found key has a declaration, every declaration names
 * something that exists, and no key is declared twice. `labels` name the two failure lists.
 */
export function expectOneToOne(found: string[], declared: string[], labels: { undeclared: string; orphaned: string }) {
  expect(
    found.filter((f) => !declared.includes(f)),
    labels.undeclared,
  ).toEqual([]);
  expect(
    declared.filter((d) => !found.includes(d)),
    labels.orphaned,
  ).toEqual([]);
  expect(new Set(declared).size).toBe(declared.length);
}
