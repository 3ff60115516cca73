/** JSON Schema export of the model (served at /api/v1/schema/collection.json). */
import { z } from 'zod';
import { CollectionInput } from './collection.js';

let cached: Record<string, unknown> | undefined;

export function collectionJsonSchema(): Record<string, unknown> {
  return (cached ??= build());
}

function build(): Record<string, unknown> {
  const schema = z.toJSONSchema(CollectionInput, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return {
    ...schema,
    $id: 'https://dicom-miabis.org/schema/collection.json',
    title: 'Collection (DICOM-MIABIS catalogue)',
    description:
      'A cancer-imaging collection = one XNAT project, described in the DICOM-MIABIS / MIABIS / EUCAIM-aligned model. Coded fields accept a string (normalised through the vocabularies, kept as free text when no term fits) or a coding {system, code, label}.',
  };
}
