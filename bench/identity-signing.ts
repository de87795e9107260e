import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import type { Caller } from '../lib/authz/principal.ts';
import { formatScopeList } from '../lib/authz/scopes.ts';
import { devKeyPair } from '../lib/identity/dev-keys.ts';
import { IDENTITY_HEADER, IdentitySigner } from '../lib/identity/internal-identity.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { GATEWAY_REQUEST_ID_HEADER } from '../lib/observability/request-metadata.ts';
import { gatewayIdentity } from '../subgraphs/kit/authz/gateway-identity.ts';
import { ANALYST } from './partners.ts';
import { drive, type LoadResult, median } from './load.ts';
import type { Row } from './report.ts';

export const IDENTITY_BASELINE = 'before: one identity per caller, reused 30 s; subgraph remembers it by its text';
const PER_FETCH = 'after: fresh identity per fetch (audience, rid, jti), every one verified';

/** The subgraphs a gateway fetches from; each has a verifier (a process) of its own. */
const SUBGRAPHS = ['wanted-persons', 'stolen-property', 'case-status'];

// ---------------------------------------------------------------------------------------------------
// BEFORE (the scheme withdrawn on 2026-12-02, reproduced here for comparison only; the kit has it no
// more): lib/identity/internal-identity.ts's IdentitySigner kept one token per caller (keyed by the
// caller's claims), valid 60 s for every subgraph, and re-signed it once less than 30 s were left;
// subgraphs/kit/authz/gateway-identity.ts remembered a verified token by its exact text until the
// verifier would refuse it, so a repeat cost a Map lookup instead of an ECDSA verification.
// ---------------------------------------------------------------------------------------------------
const OLD_ISSUER = 'liaison-gateway';
const OLD_AUDIENCE = 'liaison-subgraphs';
const OLD_LIFETIME_SECONDS = 60;
const OLD_REUSE_SECONDS = 30;

/** The old gateway side: sign once per caller, reuse for 30 s on every fetch to every subgraph. */
class ReusingSigner {
  private readonly cache = new Map<string, { token: string; expires: number }>();
  /** Signatures made, so the benchmark can say how rarely the old scheme paid one. */
  signatures = 0;

  private constructor(
    private readonly key: Awaited<ReturnType<typeof importJWK>>,
    private readonly jwk: JWK,
  ) {}

  static async create(privateJwk: JWK): Promise<ReusingSigner> {
    return new ReusingSigner(await importJWK(privateJwk, privateJwk.alg), privateJwk);
  }

  async sign(caller: Caller): Promise<string> {
    const principal = caller.principal;
    const cacheKey = JSON.stringify([
      principal?.subject,
      principal?.agency,
      principal ? [...principal.scopes] : null,
      principal?.jurisdictions,
      caller.purpose,
    ]);
    const now = Math.floor(Date.now() / 1000);
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expires - now >= OLD_REUSE_SECONDS) return cached.token;
    const claims = principal
      ? {
          agency: principal.agency,
          scope: formatScopeList(principal.scopes),
          jurisdictions: [...principal.jurisdictions],
          purpose: caller.purpose,
        }
      : { purpose: caller.purpose };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: this.jwk.alg!, kid: this.jwk.kid! })
      .setSubject(principal?.subject ?? 'anonymous')
      .setIssuer(OLD_ISSUER)
      .setAudience(OLD_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + OLD_LIFETIME_SECONDS)
      .sign(this.key);
    this.signatures += 1;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(cacheKey, { token, expires: now + OLD_LIFETIME_SECONDS });
    return token;
  }
}

/** The old subgraph side: a token verified once is remembered by its text until it would be refused. */
function rememberingIdentity(keys: JWK[]) {
  const jwks = createLocalJWKSet({ keys });
  const verified = new Map<string, { caller: Caller; acceptedUntilMs: number }>();
  return async (req: IncomingMessage): Promise<Caller> => {
    const token = req.headers[IDENTITY_HEADER];
    if (typeof token !== 'string' || token === '') throw new Error('requests must come through the Liaison gateway');
    const known = verified.get(token);
    if (known && Date.now() <= known.acceptedUntilMs) return known.caller;
    if (known) verified.delete(token);
    const { payload } = await jwtVerify(token, jwks, {
      issuer: OLD_ISSUER,
      audience: OLD_AUDIENCE,
      algorithms: ['ES256'],
      clockTolerance: 5,
      maxTokenAge: OLD_LIFETIME_SECONDS + 5,
    });
    // The old verifier also re-read the claims into a Caller (principalOf); a miss is rare enough here
    // (once per caller, subgraph and 30 s) that the benchmark takes the claims as they are.
    const caller = payload as unknown as Caller;
    if (verified.size >= 10_000) verified.clear();
    verified.set(token, { caller, acceptedUntilMs: 1000 * Math.min(payload.exp! + 5, payload.iat! + OLD_LIFETIME_SECONDS + 5) });
    return caller;
  };
}
// ------------------------------------------- end of BEFORE -------------------------------------------

/** The minimal IncomingMessage the subgraphs' identity check reads: two headers and a remote address. */
const requestWith = (token: string, requestId: string) =>
  ({
    headers: { [IDENTITY_HEADER]: token, [GATEWAY_REQUEST_ID_HEADER]: requestId },
    socket: { remoteAddress: '127.0.0.1' },
  }) as unknown as IncomingMessage;

type Task = (i: number, worker: number) => Promise<unknown>;
interface Variant {
  /** Called before each round's warm-up (not measured): where the subgraph side gets its tokens. */
  prepare?: (round: number) => Promise<void>;
  task: Task;
}

/**
 * What identities cost per subgraph fetch, on both sides, with the scheme as it was and as it is, in
 * alternating rounds in this process, with the development gateway key (ES256):
 * - gateway side: the identity for one fetch (before: the caller's reused token, a JSON key and a Map
 *   lookup, signing once per caller and 30 s; after: `IdentitySigner.sign` for that subgraph and request);
 * - subgraph side: checking one fetch's identity (before: a Map hit on the token's text; after:
 *   `gatewayIdentity` verifying the signature, audience, request id and claims, and claiming the nonce),
 *   from tokens signed before the round (the signing is not counted);
 * - one fetch, both sides: the two in one task, as a fetch pays them.
 * Each of `concurrency` workers is a caller of its own (the benchmark's users) fetching from the three
 * subgraphs in turn. CPU is this process's own (process.cpuUsage, which counts the thread pool WebCrypto
 * signs and verifies on), per fetch.
 */
export async function identitySigningCost(
  concurrency: number,
  durationSeconds: number,
  warmupSeconds: number,
  rounds: number,
): Promise<{ rows: Row[]; notes: string[] }> {
  const { privateJwk, publicJwk } = await devKeyPair('gateway-identity');
  const log = createLogger('bench', 'silent');
  const callers: Caller[] = Array.from({ length: concurrency }, (_, user) => ({
    principal: {
      subject: `bench-${ANALYST.name}-${user}`,
      agency: ANALYST.agency,
      scopes: new Set(ANALYST.scopes),
      jurisdictions: ANALYST.jurisdictions,
    },
    purpose: { code: ANALYST.purpose, reference: 'BENCH-1' },
  }));
  // The gateway's request ids (it makes one per request whatever the identity scheme): not part of the cost.
  const requestIds = Array.from({ length: 4_096 }, () => randomUUID());
  const subgraphOf = (i: number) => SUBGRAPHS[i % SUBGRAPHS.length]!;
  const requestIdOf = (i: number) => requestIds[i % requestIds.length]!;

  const reusing = await ReusingSigner.create(privateJwk);
  const signer = await IdentitySigner.create(privateJwk);
  // One verifier per subgraph, as each subgraph process has (its own nonce memory, its own token memo).
  const remembering = new Map(SUBGRAPHS.map((name) => [name, rememberingIdentity([publicJwk])]));
  const checking = new Map(SUBGRAPHS.map((name) => [name, gatewayIdentity([publicJwk], name, log).identify]));

  // The subgraph side of "after" needs a fresh token per fetch, signed beforehand (not counted), and
  // re-signed before every round so none has aged past its 30 s. The pool holds three times what a
  // round used at the fastest rate seen so far: first a calibration (2,000 tokens verified at the
  // benchmark's concurrency), then each round's own count, since a shared machine's speed varies.
  type Presented = { req: IncomingMessage; subgraph: string };
  const signPool = async (size: number): Promise<Presented[]> => {
    const signed: Presented[] = [];
    for (let from = 0; from < size; from += 64) {
      const batch = Array.from({ length: Math.min(64, size - from) }, async (_, k) => {
        const i = from + k;
        const subgraph = subgraphOf(i);
        const requestId = requestIdOf(i);
        return { subgraph, req: requestWith(await signer.sign(callers[i % concurrency]!, { subgraph, requestId }), requestId) };
      });
      signed.push(...(await Promise.all(batch)));
    }
    return signed;
  };
  const calibration = await signPool(2_000);
  const calibrationStart = performance.now();
  for (let from = 0; from < calibration.length; from += concurrency)
    await Promise.all(calibration.slice(from, from + concurrency).map(({ req, subgraph }) => checking.get(subgraph)!(req)));
  const perSecond = (1000 * calibration.length) / (performance.now() - calibrationStart);
  let poolSize = Math.ceil(3 * perSecond * (warmupSeconds + durationSeconds)) + 1_000;
  // A cursor of its own, not drive's index: the warm-up and the measured run each count from 0, and a
  // token presented twice would be refused as a replay.
  let pool: Presented[] = [];
  let cursor = 0;
  const fillPool = async () => {
    if (cursor > 0) poolSize = Math.max(poolSize, 3 * cursor);
    pool = await signPool(poolSize);
    cursor = 0;
  };
  // Before: each caller's current token, as the old gateway would send it, and a request carrying it.
  const oldRequests: IncomingMessage[] = [];
  const refreshOldTokens = async () => {
    for (const [user, caller] of callers.entries()) oldRequests[user] = requestWith(await reusing.sign(caller), requestIdOf(user));
  };

  const scenarios: { title: string; variants: Record<string, Variant> }[] = [
    {
      title: 'identity, gateway side: the identity for one subgraph fetch',
      variants: {
        [IDENTITY_BASELINE]: { task: (_i, worker) => reusing.sign(callers[worker]!) },
        [PER_FETCH]: { task: (i, worker) => signer.sign(callers[worker]!, { subgraph: subgraphOf(i), requestId: requestIdOf(i) }) },
      },
    },
    {
      title: "identity, subgraph side: checking one fetch's identity",
      variants: {
        [IDENTITY_BASELINE]: {
          prepare: refreshOldTokens,
          task: (i, worker) => remembering.get(subgraphOf(i))!(oldRequests[worker]!),
        },
        [PER_FETCH]: {
          prepare: fillPool,
          task: () => {
            const next = pool[cursor++];
            if (!next) throw new Error(`pre-signed identities ran out after ${pool.length}`);
            return checking.get(next.subgraph)!(next.req);
          },
        },
      },
    },
    {
      title: 'identity, one fetch, both sides (gateway signs, subgraph checks)',
      variants: {
        [IDENTITY_BASELINE]: {
          task: async (i, worker) => {
            const token = await reusing.sign(callers[worker]!);
            return remembering.get(subgraphOf(i))!(requestWith(token, requestIdOf(i)));
          },
        },
        [PER_FETCH]: {
          task: async (i, worker) => {
            const subgraph = subgraphOf(i);
            const requestId = requestIdOf(i);
            const token = await signer.sign(callers[worker]!, { subgraph, requestId });
            return checking.get(subgraph)!(requestWith(token, requestId));
          },
        },
      },
    },
  ];

  const rows: Row[] = [];
  const notes: string[] = [];
  let oldSignaturesMeasured = 0;
  let fetchesMeasuredBefore = 0;
  for (const { title, variants } of scenarios) {
    const runs: Record<string, (LoadResult & { cpuMs: number })[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
    for (let round = 0; round < rounds; round += 1) {
      for (const [name, variant] of Object.entries(variants)) {
        await variant.prepare?.(round);
        await drive(variant.task, { concurrency, durationSeconds: warmupSeconds });
        const signaturesBefore = reusing.signatures;
        const cpu = process.cpuUsage();
        const result = await drive(variant.task, { concurrency, durationSeconds });
        const used = process.cpuUsage(cpu);
        if (name === IDENTITY_BASELINE && title.includes('gateway side')) {
          oldSignaturesMeasured += reusing.signatures - signaturesBefore;
          fetchesMeasuredBefore += result.requests;
        }
        runs[name]!.push({ ...result, cpuMs: (used.user + used.system) / 1000 / Math.max(1, result.requests) });
      }
      pool = []; // a round's tokens are all that need to live
    }
    for (const [variant, results] of Object.entries(runs)) {
      const { cpuMs, ...result } = median(results);
      rows.push({ scenario: title, variant, result, cpuMsPerRequest: cpuMs });
    }
  }
  notes.push(
    `Identity (before): the reused-token signer signed ${oldSignaturesMeasured} times in ${fetchesMeasuredBefore.toLocaleString('en-US')} measured gateway-side fetches (once per caller and 30 s); identities were verified at ${Math.round(perSecond).toLocaleString('en-US')}/s in calibration.`,
  );
  return { rows, notes };
}

const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
/** Two decimals, or two significant digits below ×0.1 (a per-fetch signature against a Map hit is ×0.003, not ×0.00). */
const ratio = (value: number, base: number | undefined) => {
  const r = value / (base ?? 0);
  return base && Number.isFinite(r) ? ` ×${r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}` : '';
};

/**
 * The identity rows as a Markdown table in per-fetch units: fetches per second and CPU microseconds per
 * fetch (report.ts's table prints milliseconds with two decimals, which would show the old scheme as
 * 0.00), each with its ratio against the old scheme. Latencies are in the JSON; at these durations they
 * measure the driver's queue of `concurrency` tasks, not a fetch.
 */
export function identityTable(rows: Row[]): string {
  const baselines = new Map(rows.filter((row) => row.variant === IDENTITY_BASELINE).map((row) => [row.scenario, row]));
  const header = ['scenario', 'variant', 'fetches/s', 'CPU µs/fetch', 'errors'];
  const lines = rows.map((row) => {
    const base = baselines.get(row.scenario);
    const cpuUs = (row.cpuMsPerRequest ?? 0) * 1000;
    return [
      row.scenario,
      row.variant,
      `${thousands(row.result.requestsPerSecond)}${ratio(row.result.requestsPerSecond, base?.result.requestsPerSecond)}`,
      `${cpuUs < 10 ? cpuUs.toFixed(2) : cpuUs.toFixed(1)}${ratio(cpuUs, (base?.cpuMsPerRequest ?? 0) * 1000)}`,
      `${row.result.errors}${row.result.errors > 0 ? ` of ${thousands(row.result.requests)}` : ''}`,
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...lines.map(format)].join('\n');
}
