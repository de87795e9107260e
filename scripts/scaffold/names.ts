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
}

const pascal = (kebab: string) => kebab.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/** Derives every name from the command's arguments. */
export function scaffoldNames(subgraph: string, agency: string, entity: string): ScaffoldNames {
  const lookup = entity[0]!.toLowerCase() + entity.slice(1);
  return {
    subgraph,
    agency,
    entity,
    table: entity.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(),
    lookup,
    list: lookup.endsWith('s') ? `${lookup}List` : `${lookup}s`,
    context: `${pascal(subgraph)}Context`,
    letter: entity[0]!,
    readScope: `${subgraph}:read`,
    audit: `${subgraph.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Audit`,
  };
}
