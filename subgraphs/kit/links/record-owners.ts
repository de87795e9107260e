import type { GraphQLError } from 'graphql';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { ErrorCode, forbidden, subgraphUnavailable, unauthenticated } from '../../../lib/errors/index.ts';
import type { Logger } from '../../../lib/observability/logger.ts';
import { AGENCY_CODE, JURISDICTION_CODE } from '../../../lib/domain/index.ts';
import type { OwnershipColumns } from '../rows/row-scope.ts';
import type { IdentityFor } from '../write/write-runner.ts';
import { callSubgraph, errorCodesOf, SubgraphUnreachable } from './call-subgraph.ts';

/** A kind of record another subgraph owns: its owner, its entity type, and what clients call it. */
export interface OwnedKind {
  /** The subgraph owning the records, as named in schema/supergraph.yaml. */
  subgraph: string;
  /** The entity type whose references the owner resolves. */
  typename: string;
  /** What clients call such a record in messages, as its owner does. */
  label: string;
}

/** A linked record's ownership and release decision, as its owner states them. */
export interface OwnershipSnapshot extends OwnershipColumns {
  release_jurisdictions: string[];
  release_agencies: string[];
}

const entitySchema = z.object({
  id: z.string(),
  owningAgency: z.string().regex(AGENCY_CODE),
  jurisdiction: z.string().regex(JURISDICTION_CODE),
  releasability: z.object({
    mode: z.enum(['ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY', 'REFERENCE_ONLY']),
    jurisdictions: z.array(z.string()),
    agencies: z.array(z.string()),
  }),
});
const answerSchema = z.object({ _entities: z.array(entitySchema.nullable()) });

/** Most records one question asks about. */
export const MAX_OWNED_RECORDS = 100;

/**
 * Asks the subgraphs that own records another one refers to (case links, hit confirmations) for their
 * ownership, straight over HTTP (not through the gateway) with the identity the gateway minted for
 * presenting the caller to that owner: the owner applies the caller's row rules, so only records the
 * caller may see come back, and what comes back is the owner's truth.
 */
export class RecordOwners {
  constructor(
    private readonly urlOf: (subgraph: string) => string | undefined,
    private readonly log: Logger,
    /** How the owners are reached: verifying their certificates with SUBGRAPH_CA_FILE; omitted, Node's fetch. */
    private readonly dispatcher?: Dispatcher,
    private readonly timeoutMs = 5_000,
  ) {}

  /**
   * The ownership of those of `ids` the owner shows the caller, by id; hidden and missing ids are absent.
   * `action` completes the refusal of a caller who may not read such records ("…, so you cannot <action>").
   */
  async ownership(
    kind: OwnedKind,
    ids: readonly string[],
    identityFor: IdentityFor,
    action = 'link them',
  ): Promise<Map<string, OwnershipSnapshot>> {
    const document = `query LinkedOwnership($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on ${kind.typename} { id owningAgency jurisdiction releasability { mode jurisdictions agencies } } } }`;
    const url = this.urlOf(kind.subgraph);
    if (url === undefined) throw this.unavailable(kind, `no URL configured for ${kind.subgraph}`);
    let data: unknown;
    try {
      const answer = await callSubgraph(
        url,
        document,
        { representations: ids.map((id) => ({ __typename: kind.typename, id })) },
        identityFor(kind.subgraph),
        this.timeoutMs,
        this.dispatcher,
      );
      this.refuseOnErrors(kind, errorCodesOf(answer), action);
      data = answer.data;
    } catch (error) {
      if (error instanceof SubgraphUnreachable) throw this.unavailable(kind, error.message);
      throw error;
    }
    const parsed = answerSchema.safeParse(data);
    if (!parsed.success) throw this.unavailable(kind, `unexpected answer: ${parsed.error.issues[0]?.message}`);
    const snapshots = new Map<string, OwnershipSnapshot>();
    for (const entity of parsed.data._entities) {
      if (entity === null) continue;
      const { mode, jurisdictions, agencies } = entity.releasability;
      snapshots.set(entity.id, {
        owning_agency: entity.owningAgency,
        jurisdiction: entity.jurisdiction,
        release_mode: mode,
        release_jurisdictions: jurisdictions,
        release_agencies: agencies,
      });
    }
    return snapshots;
  }

  /** An owner's refusal is the caller's to see; anything else it reports makes it unavailable for this write. */
  private refuseOnErrors(kind: OwnedKind, codes: string[], action: string): void {
    if (codes.length === 0) return;
    if (codes.includes(ErrorCode.UnauthorizedFieldOrType)) throw forbidden(`You may not read ${kind.label}s, so you cannot ${action}`);
    if (codes.includes(ErrorCode.Unauthenticated)) {
      throw unauthenticated(`${kind.subgraph} did not accept your identity; retry the request`);
    }
    throw this.unavailable(kind, `answered ${codes.join(', ')}`);
  }

  private unavailable(kind: OwnedKind, reason: string): GraphQLError {
    this.log.warn({ subgraph: kind.subgraph, reason }, 'owner of linked records unavailable');
    return subgraphUnavailable(`${kind.subgraph} did not answer, so nothing was changed; retry later`, kind.subgraph);
  }
}
