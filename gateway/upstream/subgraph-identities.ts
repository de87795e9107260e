import type { Caller } from '../../lib/authz/principal.ts';
import type { SubgraphEntry } from '../../lib/config/supergraph-config.ts';
import type { IdentitySigner } from '../../lib/identity/internal-identity.ts';

/** The identities one gateway request presents its caller with, minted on demand. */
export interface SubgraphIdentities {
  /** A fresh identity for one fetch to `subgraph`: good there only, for this request only, once. */
  forFetch(subgraph: string): Promise<string>;
  /**
   * The identities a mutation at `subgraph` may lead to being presented between subgraphs, comma-separated,
   * each naming the subgraph that presents it; '' when the mutation calls none.
   */
  delegatedBy(subgraph: string): Promise<string>;
}

/** One subgraph-to-subgraph call on the caller's behalf: `actor` presents the identity to `subgraph`. */
export interface Delegation {
  subgraph: string;
  actor: string;
}

/**
 * The subgraph-to-subgraph calls a mutation at each subgraph may lead to, from schema/supergraph.yaml: a
 * subgraph that snapshots records, or asks about them, asks their owners; an owner whose records changed
 * notifies the subgraphs that snapshot them, and each of those asks the owner back for its truth.
 */
export function delegationTargets(subgraphs: readonly SubgraphEntry[]): ReadonlyMap<string, readonly Delegation[]> {
  return new Map(
    subgraphs.map(({ name, snapshots, asks }) => {
      const keepers = subgraphs.filter((other) => other.snapshots.includes(name)).map((other) => other.name);
      return [
        name,
        [
          ...[...new Set([...snapshots, ...asks])].map((owner) => ({ subgraph: owner, actor: name })),
          ...keepers.flatMap((keeper) => [
            { subgraph: keeper, actor: name },
            { subgraph: name, actor: keeper },
          ]),
        ],
      ];
    }),
  );
}

/** The identities of one request, signed by `signer` for the caller and the gateway's own request id. */
export function subgraphIdentities(
  signer: IdentitySigner,
  delegations: ReadonlyMap<string, readonly Delegation[]>,
  caller: Caller,
  requestId: string,
): SubgraphIdentities {
  return {
    forFetch: (subgraph) => signer.sign(caller, { subgraph, requestId }),
    async delegatedBy(subgraph) {
      const tokens = await Promise.all(
        (delegations.get(subgraph) ?? []).map((delegation) => signer.sign(caller, { ...delegation, requestId })),
      );
      return tokens.join(',');
    },
  };
}
