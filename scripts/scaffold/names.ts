import type { HitRecordEntry, SubgraphEntry } from '../../lib/config/supergraph-config.ts';

/** The names one scaffolded subgraph derives from its folder name and entity type. */
export interface ScaffoldNames {
  /** Folder and subgraph name, e.g. firearms-registry. */
  subgraph: string;
  /** Operating agency code. */
  agency: string;
  /** Entity type, e.g. RegisteredFirearm. */
  entity: string;
  /** SQL table, e.g. registered_firearm. */
  table: string;
  /** Lookup field, e.g. registeredFirearm. */
  lookup: string;
  /** List field, e.g. registeredFirearms. */
  list: string;
  /** Context type, e.g. FirearmsRegistryContext. */
  context: string;
  /** Record id letter, e.g. R. */
  letter: string;
  /** The subgraph's own read scope, e.g. firearms-registry:read. */
  readScope: string;
  /** The audit trail query field, e.g. firearmsRegistryAudit. */
  audit: string;
  /** The subgraph's name in PascalCase and camelCase, e.g. FirearmsRegistry, firearmsRegistry. */
  pascalSubgraph: string;
  camelSubgraph: string;
  /** The entity in kebab-case, for file names, e.g. registered-firearm. */
  kebabEntity: string;
}

const pascal = (kebab: string) => kebab.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/** Derives every name from the command's arguments. */
export function scaffoldNames(subgraph: string, agency: string, entity: string): ScaffoldNames {
  const lookup = entity[0]!.toLowerCase() + entity.slice(1);
  const pascalSubgraph = pascal(subgraph);
  const camelSubgraph = pascalSubgraph[0]!.toLowerCase() + pascalSubgraph.slice(1);
  const table = entity.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return {
    subgraph,
    agency,
    entity,
    table,
    lookup,
    list: lookup.endsWith('s') ? `${lookup}List` : `${lookup}s`,
    context: `${pascalSubgraph}Context`,
    letter: entity[0]!,
    readScope: `${subgraph}:read`,
    audit: `${camelSubgraph}Audit`,
    pascalSubgraph,
    camelSubgraph,
    kebabEntity: table.replaceAll('_', '-'),
  };
}

/**
 * The new subgraph's kind of record as hit-confirmations needs it, or undefined when its id letter
 * already starts another kind's ids (hit-confirmations tells kinds apart by it): such records stay out
 * of hit confirmation until their letter changes.
 */
export function hitRecordsOf(names: ScaffoldNames, existing: readonly SubgraphEntry[]): HitRecordEntry | undefined {
  const taken = existing.flatMap((subgraph) => subgraph.records.map((record) => record.letters)).join('');
  if (taken.includes(names.letter)) return undefined;
  return { type: names.entity, label: names.kebabEntity.replaceAll('-', ' '), letters: names.letter, grant: `grant${names.entity}Release` };
}
