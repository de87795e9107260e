import { dataOf } from './check.ts';
import { GraphqlEndpoint } from './load.ts';
import type { Partner, PartnerHeaders } from './partners.ts';

/**
 * The subgraphs asked directly, with no gateway: the limit every gateway is measured against. A
 * request that spans subgraphs is joined here by hand with the fewest calls possible (one per
 * subgraph and level, entities batched), which is what an ideal gateway would do.
 */
export class Subgraphs {
  private readonly endpoints: Record<string, GraphqlEndpoint>;

  constructor(
    urls: Record<string, string>,
    connections: number,
    private readonly headers: PartnerHeaders,
  ) {
    this.endpoints = Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, new GraphqlEndpoint(url, connections)]));
  }

  /** One operation to one subgraph, as one of the partner's users (with an identity signed for that call, as a gateway would). */
  async ask<D = any>(subgraph: string, query: string, variables: Record<string, unknown>, partner: Partner, user = 0): Promise<D> {
    const headers = await this.headers.direct(partner, user, subgraph);
    const { status, text } = await this.endpoints[subgraph]!.post(JSON.stringify({ query, variables }), headers);
    return dataOf(status, text) as D;
  }

  /** Entities by key from the subgraph that owns their fields, in the order asked. */
  async entities<E>(
    subgraph: string,
    typename: string,
    keys: Record<string, unknown>[],
    selection: string,
    partner: Partner,
    user = 0,
  ): Promise<E[]> {
    if (keys.length === 0) return [];
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`;
    const data = await this.ask<{ _entities: E[] }>(
      subgraph,
      query,
      { r: keys.map((key) => ({ __typename: typename, ...key })) },
      partner,
      user,
    );
    return data._entities;
  }

  close(): Promise<void> {
    return Promise.all(Object.values(this.endpoints).map((endpoint) => endpoint.close())).then(() => undefined);
  }
}
