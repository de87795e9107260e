export { AGENCY_CODE, AgencyCode, CountryCode, isAgencyCode, isJurisdictionCode, JURISDICTION_CODE, JurisdictionCode } from './codes.ts';
export { ISO_COUNTRIES } from './iso-countries.ts';
export { isOneLineText, isStorableText } from './text.ts';
