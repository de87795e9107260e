import { defaultFieldResolver, type GraphQLSchema, isObjectType, Kind, parse, type DocumentNode } from 'graphql';
import type { Caller } from '../../../lib/authz/principal.ts';
import { notReleased } from '../../../lib/errors/index.ts';
import type { AuditedTypes } from '../audit/track-disclosures.ts';
import { REFERENCE_ONLY, RowScope } from '../rows/row-scope.ts';

/**
 * What a reference tells (Prüm II's reference data): that the record exists, its kind, who owns it and
 * where, and that the rest needs the owner's confirmation. The type's key fields (its id) come on top.
 * `releasability` is here because a REFERENCE_ONLY decision lists nobody: it says only what
 * `releasedInFull` says, and the subgraphs that keep link snapshots read it as the caller.
 */
export const REFERENCE_FIELDS: ReadonlySet<string> = new Set(['kind', 'owningAgency', 'jurisdiction', 'releasability', 'releasedInFull']);

type Row = { owning_agency?: unknown; release_mode?: unknown };

/**
 * The owner's REFERENCE_ONLY decision, for every field of every record type: a row the caller sees
 * only as a reference (see {@link RowScope.referenceOnly}) serves its {@link REFERENCE_FIELDS} and
 * key fields, and every other field is null with NOT_RELEASED, whichever path reached the row (lookup,
 * search, list, link, entity reference, the cache, an event). One wrapper here instead of a check in
 * each resolver, so a field a subgraph adds later is withheld without anyone remembering to.
 *
 * Record types are the audited types that state their owner (`owningAgency`): the others are another
 * subgraph's records referenced here by id, which the owner's subgraph withholds itself. Each must
 * declare `releasedInFull`, so that a partner can tell a reference from a record with null fields.
 * Call it before `enforceFieldRules`, so that a field the caller may not read at all is refused as such.
 */
export function enforceReleaseDecisions(
  schema: GraphQLSchema,
  sdl: string,
  audited: AuditedTypes,
  callerOf: (context: unknown) => Caller,
): void {
  const keys = keyFields(parse(sdl));
  for (const name of Object.keys(audited)) {
    const type = schema.getType(name);
    if (!isObjectType(type) || !type.getFields()['owningAgency']) continue;
    const fields = type.getFields();
    if (!fields['releasedInFull']) throw new Error(`record type ${name} must declare releasedInFull: Boolean!`);
    for (const field of Object.values(fields)) {
      if (REFERENCE_FIELDS.has(field.name) || keys.get(name)?.has(field.name) || field.name.startsWith('_')) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const row = source as Row | null;
        if (isReferenceOnly(row) && RowScope.for(callerOf(context)).referenceOnly(row)) throw notReleased();
        return resolve(source, args, context, info);
      };
    }
  }
}

/** A record row released REFERENCE_ONLY, to anyone: checked first, so the other rows cost one comparison. */
function isReferenceOnly(row: Row | null): row is { owning_agency: string; release_mode: string } {
  return row?.release_mode === REFERENCE_ONLY && typeof row.owning_agency === 'string';
}

/** The top-level fields of each type's `@key`s, in the SDL (object types, interfaces and their extensions). */
function keyFields(document: DocumentNode): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const definition of document.definitions) {
    if (!('directives' in definition) || !('name' in definition) || !definition.name) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'key') continue;
      const fields = directive.arguments?.find((argument) => argument.name.value === 'fields')?.value;
      if (fields?.kind !== Kind.STRING) continue;
      const names = keys.get(definition.name.value) ?? new Set<string>();
      // Nested selections (`a { b }`) keep only their top-level field, which is what the type resolves.
      for (const word of fields.value.replace(/\{[^}]*\}/g, ' ').split(/\s+/)) if (word) names.add(word);
      keys.set(definition.name.value, names);
    }
  }
  return keys;
}
