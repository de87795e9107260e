import { randomUUID } from 'node:crypto';
import type { JWK, JWTPayload } from 'jose';
import { type Caller, type Principal, type Purpose, SUBJECT } from '../authz/principal.ts';
import { formatScopeList, parseScopeList } from '../authz/scopes.ts';
import { AGENCY_CODE, JURISDICTION_CODE } from '../domain/index.ts';
import { jwsKeySet, type JwsKeySet, jwsSigner } from './compact-jws.ts';
import { isRelayedOperationName, type RelayedOperation } from './relayed-operations.ts';

/** The header that carries the gateway-signed identity to a subgraph. */
export const IDENTITY_HEADER = 'liaison-identity';
/**
 * Identities the gateway minted for the subgraphs a subgraph may call on the caller's behalf during a
 * mutation (case-status asking owners about linked records, owners notifying case-status), comma-separated.
 */
export const DELEGATED_IDENTITY_HEADER = 'liaison-delegated-identity';
const ISSUER = 'liaison-gateway';
/** The issuer of the ownership-notification relay's identities, verified with its own keys (NOTIFICATION_JWKS_FILE). */
export const RELAY_ISSUER = 'liaison-notification-relay';
/** Short: every fetch gets its own, so a minute's reuse is not needed, and a captured one dies fast. */
const LIFETIME_SECONDS = 30;
const CLOCK_TOLERANCE_SECONDS = 5;

/** The audience of identities for one subgraph: no other subgraph accepts them. */
export const subgraphAudience = (subgraph: string): string => `liaison-subgraph:${subgraph}`;

interface IdentityClaims extends JWTPayload {
  /** Absent for an anonymous caller: the gateway vouches for the request, not for a partner. */
  agency?: string;
  scope?: string;
  jurisdictions?: string[];
  purpose: Purpose | null;
  /** The gateway request the identity was minted for; the subgraph must be told the same id. */
  rid: string;
  /** For a delegated identity, the subgraph that presents it on the caller's behalf (RFC 8693 `act`). */
  act?: { sub: string };
  /** For a relay identity, the one operation it is good for. */
  op?: RelayedOperation;
}

/** Where an identity is good: one subgraph, one gateway request, and for a delegated one, one presenter. */
export interface IdentityBinding {
  subgraph: string;
  requestId: string;
  /** The subgraph that will present a delegated identity; absent for the gateway's own fetches. */
  actor?: string;
  /** For a relay identity, the one operation it is good for. */
  operation?: RelayedOperation;
}

/** Signs callers' identities for subgraphs with the gateway's private key (or, as RELAY_ISSUER, the relay's). */
export class IdentitySigner {
  private constructor(
    private readonly signed: (payload: object) => string,
    private readonly issuer: string,
  ) {}

  // Async for the callers' sake: a key source that must be fetched (a KMS) would need it.
  static async create(privateJwk: JWK, issuer: typeof ISSUER | typeof RELAY_ISSUER = ISSUER): Promise<IdentitySigner> {
    return new IdentitySigner(jwsSigner(privateJwk), issuer);
  }

  /**
   * A fresh token asserting the caller (anonymous ones too) to one subgraph for one request. Never
   * reused: its `jti` is a nonce the subgraph accepts once, so a captured token cannot be replayed.
   */
  async sign(caller: Caller, binding: IdentityBinding): Promise<string> {
    const principal = caller.principal;
    const claims: IdentityClaims = {
      ...(principal
        ? { agency: principal.agency, scope: formatScopeList(principal.scopes), jurisdictions: [...principal.jurisdictions] }
        : {}),
      purpose: caller.purpose,
      rid: binding.requestId,
      ...(binding.actor ? { act: { sub: binding.actor } } : {}),
      ...(binding.operation ? { op: binding.operation } : {}),
    };
    const now = Math.floor(Date.now() / 1000);
    return this.signed({
      ...claims,
      sub: principal?.subject ?? 'anonymous',
      iss: this.issuer,
      aud: subgraphAudience(binding.subgraph),
      jti: randomUUID(),
      iat: now,
      exp: now + LIFETIME_SECONDS,
    });
  }
}

/** A verified identity: who is asking, and what a replay check needs. */
export interface VerifiedIdentity {
  caller: Caller;
  /** The nonce, and until when (ms since the epoch) the token would be accepted. */
  nonce: string;
  acceptedUntilMs: number;
  /** The subgraph presenting a delegated identity, if it is one. */
  actor: string | undefined;
  /** Set for a relay identity: the only operation it may run. */
  relayedOperation: RelayedOperation | undefined;
}

/**
 * Verifies gateway-signed identities in subgraph `subgraph`, and identities the ownership-notification
 * relay signed with one of `relayJwks` (each good for one operation only); nothing else is trusted. The
 * audience must be exactly this subgraph and the request id the one the request carries. The claims are
 * held to the shapes the gateway verified in the partner's token: a scope list that does not split into
 * words exactly as the gateway joined them is refused, not reinterpreted.
 */
export function identityVerifier(publicJwks: JWK[], subgraph: string, relayJwks: JWK[] = []) {
  const issuers = new Map<string, JwsKeySet>();
  if (publicJwks.length > 0) issuers.set(ISSUER, jwsKeySet(publicJwks));
  if (relayJwks.length > 0) issuers.set(RELAY_ISSUER, jwsKeySet(relayJwks));
  const audience = subgraphAudience(subgraph);
  return async (token: string, requestId: string | undefined): Promise<VerifiedIdentity> => {
    const payload = verifiedClaims(token, issuers, audience);
    const issuer = payload.iss;
    if (typeof payload.rid !== 'string' || payload.rid !== requestId) throw new Error('identity was minted for another request');
    const actor = payload.act?.sub;
    if (actor !== undefined && typeof actor !== 'string') throw new Error('identity actor is malformed');
    const relayedOperation = issuer === RELAY_ISSUER ? payload.op : undefined;
    if (issuer === RELAY_ISSUER && !isRelayedOperationName(relayedOperation))
      throw new Error('relay identity names no operation it may run');
    const caller = { principal: payload.agency === undefined ? null : principalOf(payload), purpose: payload.purpose ?? null };
    const acceptedUntilMs =
      1000 * Math.min(payload.exp! + CLOCK_TOLERANCE_SECONDS, payload.iat! + LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS);
    return { caller, nonce: payload.jti!, acceptedUntilMs, actor, relayedOperation };
  };
}

/**
 * The claims of a token one of `issuers`' keys signed, held to RFC 7519's time claims with the clock
 * tolerance: `jti`, `iat` and `exp` present, not expired, not valid only later (`nbf`), issued in
 * the past and no longer ago than an identity lives; addressed to `audience` alone.
 */
function verifiedClaims(token: string, issuers: ReadonlyMap<string, JwsKeySet>, audience: string): IdentityClaims {
  // The unverified issuer only picks the key set; the verified claims must then name the same one.
  const issuer = unverifiedIssuer(token);
  const keys = issuer === undefined ? undefined : issuers.get(issuer);
  if (!keys) throw new Error('identity is from an issuer this subgraph does not trust');
  const payload = keys.verify(token) as IdentityClaims;
  if (payload.iss !== issuer) throw new Error('identity issuer check failed');
  // One subgraph's identity names that subgraph alone, never a list that includes it.
  if (Array.isArray(payload.aud) && payload.aud.includes(audience)) throw new Error('identity is for more than one subgraph');
  if (payload.aud !== audience) throw new Error('identity audience check failed');
  if (typeof payload.jti !== 'string' || typeof payload.iat !== 'number' || typeof payload.exp !== 'number')
    throw new Error('identity lacks jti, iat or exp');
  const now = Math.floor(Date.now() / 1000);
  if (payload.exp <= now - CLOCK_TOLERANCE_SECONDS) throw new Error('identity has expired');
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now + CLOCK_TOLERANCE_SECONDS))
    throw new Error('identity is not valid yet');
  const age = now - payload.iat;
  if (age < -CLOCK_TOLERANCE_SECONDS) throw new Error('identity was issued in the future');
  if (age - CLOCK_TOLERANCE_SECONDS > LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS)
    throw new Error('identity is older than any identity lives');
  return payload;
}

function unverifiedIssuer(token: string): string | undefined {
  try {
    const iss: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

function principalOf(claims: IdentityClaims): Principal {
  const scopes = parseScopeList(claims.scope);
  const jurisdictions: unknown = claims.jurisdictions;
  if (
    typeof claims.sub !== 'string' ||
    !SUBJECT.test(claims.sub) ||
    typeof claims.agency !== 'string' ||
    !AGENCY_CODE.test(claims.agency) ||
    !scopes ||
    !Array.isArray(jurisdictions) ||
    !jurisdictions.every((code) => typeof code === 'string' && JURISDICTION_CODE.test(code))
  ) {
    throw new Error('identity claims are malformed');
  }
  return { subject: claims.sub, agency: claims.agency, scopes: new Set(scopes), jurisdictions };
}
