import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SUPERGRAPH_GRAPHQL } from '../../../lib/config/supergraph-config.ts';
import { declareEnforcedSecurityFeatures } from '../../authz/declare-enforced-features.ts';
import { EXAMPLES, isSubscription } from './examples.ts';

describe('explorer examples', () => {
  // A schema change that breaks an example should fail here, not in front of a new partner.
  it('are valid against the API schema of the committed supergraph', () => {
    // The gateway enforces the supergraph's security features itself; say so, as it does, to read the schema.
    declareEnforcedSecurityFeatures();
    const schema = Supergraph.build(readFileSync(SUPERGRAPH_GRAPHQL, 'utf8')).apiSchema().toGraphQLJSSchema();
    for (const example of EXAMPLES)
      expect(
        validate(schema, parse(example.query)).map((error) => error.message),
        example.title,
      ).toEqual([]);
  });

  it("include one subscription per subgraph of the supergraph, each on its own event field, and the owner's hits", () => {
    const supergraph = Supergraph.build(readFileSync(SUPERGRAPH_GRAPHQL, 'utf8'));
    const subgraphs = supergraph.subgraphs().names();
    const hits = EXAMPLES.filter((example) => /\{\s*hitsOnOwnRecords\b/.test(example.query));
    expect(hits).toHaveLength(1);
    const subscriptions = EXAMPLES.filter((example) => isSubscription(example) && !hits.includes(example));
    expect(subscriptions.map((example) => example.subgraphs.split(' + ')[0]).sort()).toEqual([...subgraphs].sort());
    const fields = subscriptions.map((example) => /\{\s*(\w+Events)\b/.exec(example.query)?.[1]);
    expect(new Set(fields).size).toBe(subscriptions.length);
    for (const field of fields) expect(field).toMatch(/Events$/);
  });
});
