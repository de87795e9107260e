import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildASTSchema, getNamedType, isAbstractType, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { FieldRules } from '../lib/authz/field-rules.ts';
import { readSupergraphConfig, SUPERGRAPH_GRAPHQL } from '../lib/config/supergraph-config.ts';
import { TEMPLATE } from '../scripts/scaffold/copy-template.ts';
import { readSubgraphSdl } from '../subgraphs/kit/server/type-defs.ts';

// What every subgraph must satisfy, checked for all of them; a failure names subgraph, type and field.

/** Record metadata: reachable only through a record, it inherits that record's protection. */
const PUBLIC_TYPES = new Set(['PageInfo', 'Provenance', 'Releasability']);
const RECORD_FIELDS = ['owningAgency', 'jurisdiction', 'releasability', 'provenance'];
const STUBS = readFileSync(new URL('./federation-stubs.graphql', import.meta.url), 'utf8');

/**
 * A field is decided when a rule guards it, its type, or what it returns, or it is public metadata.
 * An `@interfaceObject` cannot carry rules (federation forbids it): the owning subgraph's implementing
 * types decide for it.
 */
function undecidedFields(schema: GraphQLSchema, rules: FieldRules): string[] {
  const interfaceObject = (typeName: string) =>
    schema.getType(typeName)?.astNode?.directives?.some((d) => d.name.value === 'interfaceObject') === true;
  const guarded = (typeName: string) => rules.typeRule(typeName) !== undefined || PUBLIC_TYPES.has(typeName) || interfaceObject(typeName);
  const undecided: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_') || guarded(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_') || rules.fieldRule(type.name, field.name)) continue;
      const returned = getNamedType(field.type);
      const returnsGuarded = isAbstractType(returned)
        ? schema.getPossibleTypes(returned).every((t) => guarded(t.name))
        : guarded(returned.name);
      if (!returnsGuarded) undecided.push(`${type.name}.${field.name}`);
    }
  }
  return undecided;
}

/** Every registered subgraph, and the scaffold's template, which every new one starts from. */
const SUBGRAPHS = [
  ...readSupergraphConfig().map(({ name, schemaPath }) => ({ name, schemaPath })),
  { name: 'example-register (the scaffold template)', schemaPath: resolve(TEMPLATE, 'schema.graphql') },
];

describe.each(SUBGRAPHS)('subgraph $name', (subgraph) => {
  const sdl = readSubgraphSdl(subgraph.schemaPath);
  const schema = buildASTSchema(parse(`${STUBS}\n${sdl}`), { assumeValidSDL: true });

  it('gives every field an explicit authorization decision', () => {
    expect(
      undecidedFields(schema, new FieldRules(parse(sdl))).map((field) => `${subgraph.name}: ${field} has no rule and is not public`),
    ).toEqual([]);
  });

  it('reads records only through repositories scoped to the caller', () => {
    const folder = dirname(subgraph.schemaPath);
    const context = readFileSync(resolve(folder, 'context.ts'), 'utf8');
    expect(context, `${subgraph.name}: context.ts must build repositories with RowScope.for(caller)`).toMatch(/RowScope\.for\(caller\)/);
    for (const construction of context.matchAll(/new (\w+Repository)\(([^)]*)\)/g)) {
      expect(construction[2], `${subgraph.name}: ${construction[1]} is built without the caller's scope`).toMatch(/,\s*\w+/);
    }
    expect(readFileSync(resolve(folder, 'resolvers.ts'), 'utf8'), `${subgraph.name}: resolvers.ts runs SQL`).not.toMatch(
      /\.query\(|\bdb\b/,
    );
  });
});

describe('the composed supergraph', () => {
  it('has every entity carry owning agency, jurisdiction, releasability and provenance', () => {
    const supergraph = readFileSync(SUPERGRAPH_GRAPHQL, 'utf8');
    const entities = [...supergraph.matchAll(/^(?:type|interface) (\w+)[^{]*@join__type\(graph: \w+, key: /gm)].map((match) => match[1]!);
    expect(entities).toEqual(expect.arrayContaining(['Case', 'WantedPerson', 'PropertyItem', 'Vehicle']));
    for (const entity of new Set(entities)) {
      const body = new RegExp(`^(?:type|interface) ${entity}\\b[^{]*\\{([^}]*)\\}`, 'm').exec(supergraph)?.[1] ?? '';
      for (const field of RECORD_FIELDS) expect(body, `${entity} lacks ${field}`).toMatch(new RegExp(`^\\s*${field}[(:]`, 'm'));
    }
  });
});
