import { readFileSync } from 'node:fs';
import { buildASTSchema, isNonNullType, isObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { FieldRules } from '../lib/authz/field-rules.ts';
import { basePolicies } from '../lib/authz/policies.ts';
import { knownScopes } from '../lib/authz/scopes.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { readSubgraphSdl } from '../subgraphs/kit/server/type-defs.ts';

describe.each(readSupergraphConfig())('field rules of $name', (subgraph) => {
  const sdl = readSubgraphSdl(subgraph.schemaPath);
  const rules = new FieldRules(parse(sdl));
  const rulesOf = (coordinate: string) => {
    const [type, field] = coordinate.split('.');
    return field ? rules.fieldRule(type!, field)! : rules.typeRule(type!)!;
  };

  it('name only scopes from the documented vocabulary and policies that exist', () => {
    for (const coordinate of rules.coordinates()) {
      const rule = rulesOf(coordinate);
      for (const scope of rule.scopes.flat())
        expect(knownScopes(readSupergraphConfig().map((s) => s.name)), `${subgraph.name} ${coordinate}`).toContain(scope);
      for (const policy of rule.policies.flat()) expect(Object.keys(basePolicies), `${subgraph.name} ${coordinate}`).toContain(policy);
    }
  });

  it('keep every rule-bearing field nullable, so a refusal nulls that field and not its parent', () => {
    const schema = buildASTSchema(parse(`${FEDERATION_STUBS}\n${sdl}`), { assumeValidSDL: true });
    for (const coordinate of rules.coordinates().filter((c) => c.includes('.'))) {
      const [typeName, fieldName] = coordinate.split('.');
      const type = schema.getType(typeName!);
      if (!isObjectType(type)) continue;
      expect(isNonNullType(type.getFields()[fieldName!]!.type), `${subgraph.name} ${coordinate} is non-null`).toBe(false);
    }
  });
});

/** Just enough of the federation definitions for graphql-js to build a subgraph's SDL. */
const FEDERATION_STUBS = readFileSync(new URL('./federation-stubs.graphql', import.meta.url), 'utf8');
