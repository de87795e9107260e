export { callerFromRequest, PURPOSE_HEADER, PURPOSE_REFERENCE_HEADER } from './caller-from-request.ts';
export { partnerVerifier } from './partner-verifier.ts';
