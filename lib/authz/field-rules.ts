import { type DirectiveNode, type DocumentNode, Kind, type ValueNode } from 'graphql';

/**
 * One directive set's demands, as in the federation spec: `scopes` and `policies` are OR-lists of
 * AND-lists (`[["a", "b"], ["c"]]` means a and b, or c).
 */
export interface Rule {
  authenticated: boolean;
  scopes: string[][];
  policies: string[][];
}

const DIRECTIVES = new Set(['authenticated', 'requiresScopes', 'policy']);

/**
 * The authorization rules written in SDL with `@authenticated`, `@requiresScopes` and `@policy`, by
 * type and by field. Reads a subgraph's SDL or the composed supergraph alike.
 */
export class FieldRules {
  private readonly types = new Map<string, Rule>();
  private readonly fields = new Map<string, Rule>();

  constructor(sdl: DocumentNode) {
    for (const definition of sdl.definitions) {
      if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
      const typeName = definition.name.value;
      this.merge(this.types, typeName, definition.directives);
      if ('fields' in definition && definition.fields) {
        for (const field of definition.fields) {
          if (field.kind === Kind.FIELD_DEFINITION) this.merge(this.fields, `${typeName}.${field.name.value}`, field.directives);
        }
      }
    }
  }

  /** The rule on a type, if it has one. */
  typeRule(typeName: string): Rule | undefined {
    return this.types.get(typeName);
  }

  /** The rule on a field, if it has one. */
  fieldRule(typeName: string, fieldName: string): Rule | undefined {
    return this.fields.get(`${typeName}.${fieldName}`);
  }

  /** Every rule-bearing coordinate, as `Type` or `Type.field`. */
  coordinates(): string[] {
    return [...this.types.keys(), ...this.fields.keys()];
  }

  private merge(target: Map<string, Rule>, key: string, directives: readonly DirectiveNode[] | undefined): void {
    const rule = ruleOf(directives);
    if (!rule) return;
    const existing = target.get(key);
    target.set(key, existing ? both(existing, rule) : rule);
  }
}

/** Both rules must hold: the AND of their OR-lists is their cross product. */
export function both(a: Rule, b: Rule): Rule {
  return { authenticated: a.authenticated || b.authenticated, scopes: cross(a.scopes, b.scopes), policies: cross(a.policies, b.policies) };
}

function cross(a: string[][], b: string[][]): string[][] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return a.flatMap((left) => b.map((right) => [...new Set([...left, ...right])]));
}

function ruleOf(directives: readonly DirectiveNode[] | undefined): Rule | undefined {
  const found = directives?.filter((directive) => DIRECTIVES.has(directive.name.value)) ?? [];
  if (found.length === 0) return undefined;
  const rule: Rule = { authenticated: false, scopes: [], policies: [] };
  for (const directive of found) {
    if (directive.name.value === 'authenticated') rule.authenticated = true;
    const argument = directive.arguments?.[0]?.value;
    if (directive.name.value === 'requiresScopes' && argument) rule.scopes = cross(rule.scopes, nestedStrings(argument));
    if (directive.name.value === 'policy' && argument) rule.policies = cross(rule.policies, nestedStrings(argument));
  }
  return rule;
}

function nestedStrings(value: ValueNode): string[][] {
  if (value.kind !== Kind.LIST) return [];
  return value.values.map((inner) =>
    inner.kind === Kind.LIST ? inner.values.flatMap((leaf) => (leaf.kind === Kind.STRING ? [leaf.value] : [])) : [],
  );
}
