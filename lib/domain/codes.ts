import { z } from 'zod';
import { ISO_COUNTRIES } from './iso-countries.ts';

/** An ORI-like agency code: nine upper-case letters or digits. */
export const AGENCY_CODE = /^[A-Z0-9]{9}$/;
/** An ISO 3166 jurisdiction as written in grants: a country (FR) or a country-region (FR-IDF, IT-62). */
export const JURISDICTION_CODE = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

/** Whether `code` is an agency code as stored: exactly {@link AGENCY_CODE}, no trimming or case folding. */
export const isAgencyCode = (code: unknown): code is string => typeof code === 'string' && AGENCY_CODE.test(code);
/** Whether `code` is a jurisdiction as granted: {@link JURISDICTION_CODE}, of an assigned country. */
export const isJurisdictionCode = (code: unknown): code is string =>
  typeof code === 'string' && JURISDICTION_CODE.test(code) && ISO_COUNTRIES.has(code.slice(0, 2));

/**
 * The shapes as a partner or operator may type them (trimmed, upper-cased), with the messages every
 * read, write, token and configuration check gives: one meaning of "country code" everywhere.
 */
export const AgencyCode = z.string().trim().toUpperCase().regex(AGENCY_CODE, 'must be a 9-character agency code such as FRPN00001');
export const CountryCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => ISO_COUNTRIES.has(code), 'must be an assigned ISO 3166-1 alpha-2 country code such as FR');
export const JurisdictionCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isJurisdictionCode, 'must be an ISO 3166 code of an assigned country, such as FR or FR-IDF');
