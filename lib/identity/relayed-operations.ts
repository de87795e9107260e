import { Kind, parse, type DocumentNode, type SelectionSetNode } from 'graphql';

/**
 * What an identity the ownership-notification relay signed is good for, and nothing more: at a keeper,
 * being told to re-read records (`refreshLinkSnapshots`); at the owner, the keeper's read-back of those
 * records' ownership. The relay's key signs without a partner present, so an identity it signs must not
 * open any other query or mutation in the writer's name.
 */
export const RELAYED_OPERATIONS = ['refreshLinkSnapshots', 'linkedOwnership'] as const;
export type RelayedOperation = (typeof RELAYED_OPERATIONS)[number];

export const isRelayedOperationName = (value: unknown): value is RelayedOperation =>
  typeof value === 'string' && (RELAYED_OPERATIONS as readonly string[]).includes(value);

/** The ownership fields the keeper reads back (`RecordOwners`), each with the fields it may select. */
const OWNERSHIP_FIELDS = new Map<string, readonly string[]>([
  ['__typename', []],
  ['id', []],
  ['owningAgency', []],
  ['jurisdiction', []],
  ['releasability', ['mode', 'jurisdictions', 'agencies']],
]);

/**
 * Whether `query` is a document that a relay identity for `operation` may run: one operation of the
 * right type whose only root field is the permitted one, without fragments spread or directives, and for
 * the read-back, selecting ownership fields only. Anything that does not parse is not permitted.
 */
export function permitsRelayed(operation: RelayedOperation, query: unknown): boolean {
  if (typeof query !== 'string') return false;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return false;
  }
  const [definition, ...rest] = document.definitions;
  if (rest.length > 0 || definition?.kind !== Kind.OPERATION_DEFINITION || definition.directives?.length) return false;
  const [root, ...others] = definition.selectionSet.selections;
  if (others.length > 0 || root?.kind !== Kind.FIELD || root.directives?.length) return false;
  if (operation === 'refreshLinkSnapshots') {
    return definition.operation === 'mutation' && root.name.value === 'refreshLinkSnapshots' && !root.selectionSet;
  }
  return definition.operation === 'query' && root.name.value === '_entities' && onlyOwnership(root.selectionSet);
}

function onlyOwnership(selectionSet: SelectionSetNode | undefined): boolean {
  if (!selectionSet) return false;
  return selectionSet.selections.every(
    (selection) =>
      selection.kind === Kind.INLINE_FRAGMENT &&
      !selection.directives?.length &&
      selection.selectionSet.selections.every((field) => {
        if (field.kind !== Kind.FIELD || field.directives?.length) return false;
        const allowed = OWNERSHIP_FIELDS.get(field.name.value);
        if (!allowed) return false;
        if (allowed.length === 0) return !field.selectionSet;
        return (
          field.selectionSet?.selections.every(
            (leaf) => leaf.kind === Kind.FIELD && !leaf.directives?.length && !leaf.selectionSet && allowed.includes(leaf.name.value),
          ) ?? false
        );
      }),
  );
}
