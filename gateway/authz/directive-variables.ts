import { type DocumentNode, Kind, visit } from 'graphql';

/** Apollo reuses one parsed document per query text, so each is scanned once. */
const scanned = new WeakMap<DocumentNode, readonly string[]>();

/** The variables a document's `@skip`/`@include` conditions read, each once, in document order. */
export function directiveVariables(document: DocumentNode): readonly string[] {
  let names = scanned.get(document);
  if (!names) {
    const found = new Set<string>();
    visit(document, {
      Directive(node) {
        if (node.name.value !== 'skip' && node.name.value !== 'include') return;
        for (const argument of node.arguments ?? []) if (argument.value.kind === Kind.VARIABLE) found.add(argument.value.name.value);
      },
    });
    names = [...found];
    scanned.set(document, names);
  }
  return names;
}
