/** Provider (organisation / imaging site / biobank), Contact person and Network (§2.2–2.4). */
import { z } from 'zod';
import { CountryCode, Id, Url } from './common.js';
import { ProviderAction } from './policy.js';

const Name = z.string().trim().min(1).max(300);

export const ProviderInput = z
  .object({
    id: Id,
    name: Name,
    acronym: z.string().trim().max(50).optional(),
    description: z.string().trim().min(1).max(5000),
    url: Url.optional(),
    juristicPerson: z.string().trim().max(300).optional(),
    country: CountryCode.optional(),
    city: z.string().trim().max(200).optional(),
    /** Functional contact point (EU2 `cv:contactPoint`): at least an e-mail or a page. */
    contactEmail: z.email().max(300).optional(),
    contactUrl: Url.optional(),
    networkIds: z.array(Id).max(50).default([]),
  })
  .strict();
export type ProviderInput = z.input<typeof ProviderInput>;

export const Provider = ProviderInput.extend({
  createdAt: z.iso.datetime(),
  modifiedAt: z.iso.datetime(),
  revision: z.number().int(),
  /** What you may do at this provider (computed by the policy). */
  actions: z.array(ProviderAction),
});
export type Provider = z.infer<typeof Provider>;

export const ProviderPatch = ProviderInput.omit({ id: true });

export const ContactInput = z
  .object({
    id: Id,
    providerId: Id,
    titleBeforeName: z.string().max(50).optional(),
    firstName: z.string().trim().max(200).optional(),
    lastName: z.string().trim().min(1).max(200),
    email: z.email().max(300),
    phone: z
      .string()
      .regex(/^\+?[0-9 ()-]{4,30}$/, 'phone number in E.123 form, e.g. +31 20 123 4567')
      .optional(),
    country: CountryCode.optional(),
    orcid: z
      .string()
      .regex(/^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/, 'ORCID iD like 0000-0002-1825-0097')
      .optional(),
    role: z.string().max(200).optional(),
  })
  .strict();
export type ContactInput = z.input<typeof ContactInput>;
export const Contact = ContactInput.extend({ revision: z.number().int() });
export type Contact = z.infer<typeof Contact>;

export const NetworkKind = z.enum(['network', 'project', 'study', 'programme']);

export const NetworkInput = z
  .object({
    id: Id,
    kind: NetworkKind,
    name: Name,
    acronym: z.string().trim().max(50).optional(),
    description: z.string().trim().max(5000).optional(),
    url: Url.optional(),
    countries: z.array(CountryCode).max(250).default([]),
    status: z.enum(['Active', 'Ended', 'Other']).default('Active'),
  })
  .strict();
export type NetworkInput = z.input<typeof NetworkInput>;
export const Network = NetworkInput.extend({
  createdAt: z.iso.datetime(),
  modifiedAt: z.iso.datetime(),
  revision: z.number().int(),
});
export type Network = z.infer<typeof Network>;
export const NetworkPatch = NetworkInput.omit({ id: true });
