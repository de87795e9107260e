import type { Dispatcher } from 'undici';
import type { GraphQLError } from 'graphql';
import { badUserInput, conflict, ErrorCode, forbidden, notFound, subgraphUnavailable, unauthenticated } from '../../lib/errors/index.ts';
import type { Logger } from '../../lib/observability/logger.ts';
import { callSubgraph, type IdentityFor, SubgraphUnreachable } from '../kit/index.ts';
import type { HitRecordKind } from './hit-records.ts';

/** A release the confirming owner grants the requesting agency: which record, to whom, how long. */
export interface ReleaseOrder {
  kind: HitRecordKind;
  recordId: string;
  agency: string;
  seconds: number;
  /** The owner's own idempotency key for the grant: one per answer, so a retried answer grants once. */
  idempotencyKey: string;
}

/** Refusals of the owner's that the caller can act on, passed on in the owner's words. */
const PASSED_ON: Record<string, (message: string) => GraphQLError> = {
  [ErrorCode.BadUserInput]: (message) => badUserInput(message, 'input.releaseForSeconds'),
  [ErrorCode.NotFound]: notFound,
  [ErrorCode.Forbidden]: (message) => forbidden(message),
  [ErrorCode.Conflict]: (message) => conflict(message),
};

/**
 * Asks the record's owner subgraph, with the identity the gateway minted for this call on the caller's
 * behalf (the caller is the owning agency), to release the record in full to the requesting agency: the
 * grant is the owner's own write, audited in its trail. Before the answer is written, so an answer that
 * says it released the record never stands without the grant; if the owner does not answer, nothing is written.
 */
export class OwnerRelease {
  constructor(
    private readonly urlOf: (subgraph: string) => string | undefined,
    private readonly log: Logger,
    private readonly dispatcher?: Dispatcher,
    private readonly timeoutMs = 5_000,
  ) {}

  async grant(order: ReleaseOrder, identityFor: IdentityFor): Promise<void> {
    const { kind } = order;
    const url = this.urlOf(kind.subgraph);
    if (url === undefined) throw this.unavailable(kind, `no URL configured for ${kind.subgraph}`);
    const document = `mutation Release($id: ID!, $agency: String!, $seconds: Int!, $key: String!) {
      ${kind.grantMutation}(id: $id, agency: $agency, forSeconds: $seconds, idempotencyKey: $key) { id } }`;
    const variables = { id: order.recordId, agency: order.agency, seconds: order.seconds, key: order.idempotencyKey };
    let answer;
    try {
      answer = await callSubgraph(url, document, variables, identityFor(kind.subgraph), this.timeoutMs, this.dispatcher);
    } catch (error) {
      if (error instanceof SubgraphUnreachable) throw this.unavailable(kind, error.message);
      throw error;
    }
    const [first] = answer.errors ?? [];
    if (!first) return;
    const code = first.extensions?.code ?? '';
    const passOn = PASSED_ON[code];
    if (passOn) throw passOn(first.message);
    if (code === ErrorCode.UnauthorizedFieldOrType) throw forbidden(`You may not write ${kind.label}s, so you cannot release them`);
    if (code === ErrorCode.Unauthenticated) throw unauthenticated(`${kind.subgraph} did not accept your identity; retry the request`);
    throw this.unavailable(kind, `answered ${code}`);
  }

  private unavailable(kind: HitRecordKind, reason: string): GraphQLError {
    this.log.warn({ subgraph: kind.subgraph, reason }, 'owner of a confirmed record unavailable for its release');
    return subgraphUnavailable(`${kind.subgraph} did not answer, so nothing was changed; retry later`, kind.subgraph);
  }
}
