import type { ScaffoldNames } from './names.ts';

/** The files of a new subgraph, by path relative to its folder, wired through the kit. */
export function subgraphFiles(n: ScaffoldNames): Record<string, string> {
  return {
    'schema.graphql': `"A record of ${n.agency}'s ${n.subgraph} register. Reading it needs \`${n.readScope}\`."
type ${n.entity} @key(fields: "id") @requiresScopes(scopes: [["${n.readScope}"]]) {
  "A letter and nine digits, e.g. ${n.letter}000000001."
  id: ID!
  "A short human label."
  label: String
  "The wanted person this record concerns, if any (resolved by wanted-persons)."
  linkedPerson: WantedPerson
  owningAgency: String!
  jurisdiction: String!
  releasability: Releasability!
  provenance: Provenance!
}

type WantedPerson @key(fields: "id", resolvable: false) @requiresScopes(scopes: [["wanted:read"]]) {
  id: ID!
}

type ${n.entity}Connection @requiresScopes(scopes: [["${n.readScope}"]]) {
  nodes: [${n.entity}!]!
  pageInfo: PageInfo!
  totalCount: Int! @cost(weight: 5)
}

type Query {
  "One record by id; null when there is no such record or it is not released to the caller."
  ${n.lookup}(id: ID!): ${n.entity}
  "Records the caller may see, ordered by id."
  ${n.list}(first: Int = 20, after: String): ${n.entity}Connection @listSize(slicingArguments: ["first"], sizedFields: ["nodes"], requireOneSlicingArgument: false)
  "Who consulted or changed your agency's records, and why; newest first."
  ${n.audit}(filter: AuditTrailFilter, first: Int = 20, after: String): AuditEntryConnection @requiresScopes(scopes: [["audit:read"]]) @listSize(slicingArguments: ["first"], sizedFields: ["nodes"], requireOneSlicingArgument: false)
}
`,
    'migrations/001_init.sql': `create table ${n.table} (
  id text primary key check (id ~ '^[A-Z][0-9]{9}$'),
  label text,
  linked_person_id text check (linked_person_id ~ '^W[0-9]{9}$'),
  owning_agency text not null check (owning_agency ~ '^[A-Z0-9]{9}$'),
  jurisdiction text not null check (jurisdiction ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
  release_mode text not null default 'ALL_GRANTED' check (release_mode in ('ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY')),
  release_jurisdictions text[] not null default '{}',
  release_agencies text[] not null default '{}',
  source_system text not null,
  updated_at timestamptz not null default now()
);

-- Row rules (kit RowScope) test ownership, jurisdiction and its country.
create index ${n.table}_owning_agency on ${n.table} (owning_agency);
create index ${n.table}_jurisdiction on ${n.table} (jurisdiction);
create index ${n.table}_country on ${n.table} (left(jurisdiction, 2));
`,
    'repository.ts': `import { LookupCache } from '../kit/cache/lookup-cache.ts';
import type { Queryable } from '../kit/db/db.ts';
import { type Connection, type Page, toConnection } from '../kit/rows/pagination.ts';
import type { RecordRow } from '../kit/rows/record-metadata.ts';
import type { RowScope } from '../kit/rows/row-scope.ts';

/** A ${n.table} row as stored. */
export interface ${n.entity}Row extends RecordRow {
  id: string;
  label: string | null;
  linked_person_id: string | null;
}

const COLUMNS = 'id, label, linked_person_id, owning_agency, jurisdiction, release_mode, release_jurisdictions, release_agencies, source_system';

/**
 * Every statement that reads ${n.table}, each filtered by the caller's row rules: in SQL for the list,
 * after the shared cache read for lookups by id. One instance per request.
 */
export class ${n.entity}Repository {
  constructor(
    private readonly db: Queryable,
    private readonly scope: RowScope,
    private readonly cache: LookupCache = LookupCache.uncached('${n.subgraph}'),
  ) {}

  /** Visible rows for the given ids; unknown and hidden ids are simply absent. */
  async findByIds(ids: readonly string[]): Promise<${n.entity}Row[]> {
    const fetch = (misses: string[]) => this.db.query<${n.entity}Row>(\`select \${COLUMNS} from ${n.table} where id = any($1::text[])\`, [misses]);
    const rows = await this.cache.load('${n.entity}', ids, fetch, (row) => row.id);
    return rows.filter((row) => this.scope.admits(row));
  }

  /** One keyset page of visible rows ordered by id, counted lazily under the same filter. */
  async list(page: Page): Promise<Connection<${n.entity}Row>> {
    const params: unknown[] = [];
    const filter = this.scope.predicate(params);
    const keyset = page.after === null ? '' : \` and id > $\${params.length + 1}\`;
    const rows = await this.db.query<${n.entity}Row>(
      \`select \${COLUMNS} from ${n.table} where \${filter}\${keyset} order by id limit \${page.limit + 1}\`,
      page.after === null ? params : [...params, page.after],
    );
    return toConnection(rows, page, (row) => row.id, async () => {
      const [count] = await this.db.query<{ n: number }>(\`select count(*)::int as n from ${n.table} where \${filter}\`, params);
      return count?.n ?? 0;
    });
  }
}
`,
    'context.ts': `import type DataLoader from 'dataloader';
import type { Caller } from '../../lib/authz/principal.ts';
import type { LookupCache } from '../kit/cache/lookup-cache.ts';
import type { Db } from '../kit/db/db.ts';
import { keyedLoader } from '../kit/rows/keyed-loader.ts';
import { RowScope } from '../kit/rows/row-scope.ts';
import { ${n.entity}Repository, type ${n.entity}Row } from './repository.ts';

/** What each request of the ${n.subgraph} subgraph carries. */
export interface ${n.context} {
  /** Who is asking, as the gateway vouched. */
  caller: Caller;
  records: ${n.entity}Repository;
  recordById: DataLoader<string, ${n.entity}Row | null>;
}

export function createContext(db: Db, caller: Caller, cache: LookupCache): ${n.context} {
  const records = new ${n.entity}Repository(db, RowScope.for(caller), cache);
  return { caller, records, recordById: keyedLoader((ids) => records.findByIds(ids), (row) => row.id) };
}
`,
    'resolvers.ts': `import { auditTrailQuery } from '../kit/audit/audit-entry-resolvers.ts';
import { readPage, type PageArgs } from '../kit/rows/pagination.ts';
import { recordMetadataResolvers } from '../kit/rows/record-metadata.ts';
import type { ${n.context} } from './context.ts';
import type { ${n.entity}Row } from './repository.ts';

export const resolvers = {
  Query: {
    ${n.lookup}: (_: unknown, args: { id: string }, ctx: ${n.context}) => ctx.recordById.load(args.id.trim().toUpperCase()),
    ${n.list}: (_: unknown, args: PageArgs, ctx: ${n.context}) => ctx.records.list(readPage(args)),
    ${n.audit}: auditTrailQuery,
  },
  ${n.entity}: {
    __resolveReference: (reference: { id: string }, ctx: ${n.context}) => ctx.recordById.load(reference.id),
    linkedPerson: (row: ${n.entity}Row) => (row.linked_person_id ? { id: row.linked_person_id } : null),
    ...recordMetadataResolvers('${n.subgraph}'),
  },
};
`,
    'seed.ts': `import { bulkInsert } from '../kit/db/bulk-insert.ts';
import type { Db } from '../kit/db/db.ts';
import { seedOwnershipOf } from '../kit/seed/seed-agencies.ts';
import { personId, recordId, SEED_COUNTS, type SeedSize } from '../kit/seed/seed-plan.ts';

/** Deterministic demo records; the first ten concern the showcase wanted persons W000000001…W000000010. */
export async function seed(db: Db, size: Exclude<SeedSize, 'none'>): Promise<void> {
  const count = Math.max(50, Math.floor(SEED_COUNTS[size].cases / 4));
  const rows = Array.from({ length: count }, (_, i) => ({
    id: recordId('${n.letter}', i + 1),
    label: \`${n.entity} \${i + 1}\`,
    linked_person_id: i < 10 ? personId(i + 1) : null,
    ...seedOwnershipOf('${n.subgraph}', i + 1),
  }));
  await db.transaction((tx) => bulkInsert(tx, '${n.table}', Object.keys(rows[0]!), rows));
}
`,
    'server.ts': `import { fileURLToPath } from 'node:url';
import { buildSubgraphServer, type SubgraphDefinition, type SubgraphServerOptions } from '../kit/server/subgraph-server.ts';
import { createContext, type ${n.context} } from './context.ts';
import type { ${n.entity}Row } from './repository.ts';
import { resolvers } from './resolvers.ts';
import { seed } from './seed.ts';

export const definition: SubgraphDefinition<${n.context}> = {
  name: '${n.subgraph}',
  schemaPath: fileURLToPath(new URL('./schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  // Serving any field of these records writes a disclosure to the owner's audit trail.
  auditedTypes: { ${n.entity}: (row: ${n.entity}Row) => row.id },
  seed,
  createContext,
};

/** Builds the ${n.subgraph} subgraph on the given database, ready to listen. */
export const buildServer = (options: SubgraphServerOptions) => buildSubgraphServer(definition, options);
`,
    'index.ts': `import { runSubgraph } from '../kit/server/run-subgraph.ts';
import { buildServer } from './server.ts';

await runSubgraph('${n.subgraph}', buildServer);
`,
    [`${n.subgraph}.test.ts`]: testFile(n),
  };
}

function testFile(n: ScaffoldNames): string {
  return `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../lib/authz/principal.ts';
import { ENGINES } from '../../test/support/databases.ts';
import { askSubgraph, FULL_ACCESS } from '../../test/support/identity.ts';
import { startTestSubgraph, type TestSubgraph } from '../../test/support/test-subgraph.ts';
import { buildServer } from './server.ts';

const READER: Caller = { ...FULL_ACCESS, principal: { ...FULL_ACCESS.principal!, scopes: new Set(['${n.readScope}', 'wanted:read']) } };

describe.each(ENGINES)('${n.subgraph} on %s', (engine) => {
  let subgraph: TestSubgraph;
  let url: string;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(buildServer, engine, '${n.table}');
    url = subgraph.url;
  });
  afterAll(() => subgraph?.stop());

  it('looks a showcase record up by id, with its linked person and provenance', async () => {
    const response = await askSubgraph(url, '{ ${n.lookup}(id: "${n.letter.toLowerCase()}000000001") { id linkedPerson { id } provenance { sourceSubgraph } } }', {}, READER);
    expect(response.data).toEqual({ ${n.lookup}: { id: '${n.letter}000000001', linkedPerson: { id: 'W000000001' }, provenance: { sourceSubgraph: '${n.subgraph}' } } });
  });

  it('pages through the list without overlap and counts it', async () => {
    const first = await askSubgraph(url, '{ ${n.list}(first: 10) { totalCount pageInfo { endCursor hasNextPage } nodes { id } } }', {}, READER);
    const page = first.data!.${n.list};
    const next = await askSubgraph(url, \`{ ${n.list}(first: 10, after: "\${page.pageInfo.endCursor}") { nodes { id } } }\`, {}, READER);
    const ids = [...page.nodes, ...next.data!.${n.list}.nodes].map((node: { id: string }) => node.id);
    expect(page.totalCount).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("records each lookup in the owning agency's audit trail, which that agency's auditor reads", async () => {
    const owner = (await subgraph.counted.db.query<{ owning_agency: string }>("select owning_agency from ${n.table} where id = '${n.letter}000000002'"))[0]!.owning_agency;
    await askSubgraph(url, '{ ${n.lookup}(id: "${n.letter}000000002") { id label } }', {}, READER);
    const auditor: Caller = { principal: { subject: 'auditor', agency: owner, scopes: new Set(['audit:read']), jurisdictions: [] }, purpose: { code: 'AUDIT', reference: null } };
    const trail = await askSubgraph(url, '{ ${n.audit}(filter: { recordId: "${n.letter}000000002" }) { nodes { partnerSubject recordIds } } }', {}, auditor);
    expect(trail.data!.${n.audit}.nodes[0]).toEqual({ partnerSubject: READER.principal!.subject, recordIds: ['${n.letter}000000002'] });
  });

  it('shows nothing to a caller without the read scope, and nothing to an anonymous one', async () => {
    const noScope = await askSubgraph(url, '{ ${n.lookup}(id: "${n.letter}000000001") { id } }', {}, { ...READER, principal: { ...READER.principal!, scopes: new Set() } });
    expect(noScope.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    const anonymous = await askSubgraph(url, '{ ${n.list} { totalCount } }', {}, { principal: null, purpose: null });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
  });
});
`;
}
