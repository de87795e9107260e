export { callerFromHeaders, callerFromRequest, PURPOSE_HEADER, PURPOSE_REFERENCE_HEADER } from './caller-from-request.ts';
export { partnerVerifier, type PartnerVerifier } from './partner-verifier.ts';
