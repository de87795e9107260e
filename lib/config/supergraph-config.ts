import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { AGENCY_CODE } from '../domain/index.ts';

/**
 * The repository root, or the compiled tree (dist/) when run from `npm run build`'s output, so paths in
 * supergraph.yaml resolve the same from any working directory.
 */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** `.ts` run from source, `.js` once compiled (`npm run build`): how modules found by path are named. */
export const CODE_EXTENSION = extname(fileURLToPath(import.meta.url));
export const SUPERGRAPH_YAML = resolve(ROOT, 'schema/supergraph.yaml');
export const SUPERGRAPH_GRAPHQL = resolve(ROOT, 'schema/supergraph.graphql');

const agencyCode = z.string().regex(AGENCY_CODE, 'must be a 9-character agency code (ORI-like), e.g. FRPN00001');

const subgraphName = z.string().regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, 'must be lower-case kebab-case, e.g. wanted-persons');

/** The coordinating subgraph of the hit workflow: it `asks` the owners of the records hits are on. */
export const HIT_CONFIRMATIONS_SUBGRAPH = 'hit-confirmations';

/** A kind of record of a subgraph's that a hit can be on (hit-confirmations' requests). */
const hitRecordSchema = z.object({
  type: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be the GraphQL type of the record, e.g. WantedPerson'),
  label: z.string().regex(/^[a-z][a-z -]{0,40}$/, 'must say what clients call such a record, e.g. wanted-person record'),
  letters: z.string().regex(/^[A-Z]{1,5}$/, 'must be the letters its ids start with, e.g. W'),
  grant: z.string().regex(/^grant[A-Za-z0-9]+Release$/, "must be the owner's grant mutation, e.g. grantWantedPersonRelease"),
});

const subgraphSchema = z.object({
  name: subgraphName,
  agency: agencyCode,
  url: z.url({ protocol: /^https?$/ }),
  schema: z.string().endsWith('.graphql'),
  snapshots: z.array(subgraphName).optional(),
  asks: z.array(subgraphName).optional(),
  records: z.array(hitRecordSchema).optional(),
});

const fileSchema = z.object({ subgraphs: z.array(subgraphSchema).min(1) }).superRefine((file, ctx) => {
  const seen = new Set<string>();
  for (const [index, subgraph] of file.subgraphs.entries()) {
    if (seen.has(subgraph.name))
      ctx.addIssue({ code: 'custom', path: ['subgraphs', index, 'name'], message: `duplicate subgraph ${subgraph.name}` });
    seen.add(subgraph.name);
  }
  const letters = new Set<string>();
  for (const [index, subgraph] of file.subgraphs.entries()) {
    for (const [position, record] of (subgraph.records ?? []).entries()) {
      for (const letter of record.letters) {
        if (letters.has(letter))
          ctx.addIssue({
            code: 'custom',
            path: ['subgraphs', index, 'records', position, 'letters'],
            message: `${letter} starts another record's ids`,
          });
        letters.add(letter);
      }
    }
    for (const key of ['snapshots', 'asks'] as const) {
      for (const [position, owner] of (subgraph[key] ?? []).entries()) {
        if (owner === subgraph.name || !seen.has(owner)) {
          ctx.addIssue({
            code: 'custom',
            path: ['subgraphs', index, key, position],
            message: `must name another subgraph of this list, not ${owner}`,
          });
        }
      }
    }
  }
});

/** One entry of schema/supergraph.yaml. */
export interface SubgraphEntry {
  /** Subgraph name, also its folder under subgraphs/. */
  name: string;
  /** Agency that operates the subgraph. */
  agency: string;
  /** Routing URL used in development; deployments override it with `<NAME>_URL`. */
  url: string;
  /** Default port, taken from the routing URL. */
  port: number;
  /** Absolute path of the subgraph's SDL. */
  schemaPath: string;
  /** Absolute path of the subgraph's listening entry point. */
  entryPath: string;
  /** Prefix of the subgraph's environment variables, e.g. WANTED_PERSONS. */
  envPrefix: string;
  /** Subgraphs whose records this one keeps an ownership snapshot of; they tell it when ownership changes. */
  snapshots: string[];
  /**
   * Subgraphs whose records this one reads during a mutation, on the caller's behalf, without keeping a
   * snapshot of them (hit-confirmations asking an owner whether the caller sees the record); one way.
   */
  asks: string[];
  /** Kinds of its records a hit can be on: hit-confirmations asks about them when it lists this subgraph in `asks`. */
  records: HitRecordEntry[];
}

/** A kind of record a hit can be on: its GraphQL type, its name in messages, its ids' letters, its owner's grant mutation. */
export type HitRecordEntry = z.infer<typeof hitRecordSchema>;

/** Reads and validates schema/supergraph.yaml. */
export function readSupergraphConfig(path = SUPERGRAPH_YAML): SubgraphEntry[] {
  const parsed = fileSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`${path} is invalid:\n${issues}`);
  }
  const base = dirname(dirname(path));
  return parsed.data.subgraphs.map((entry) => {
    const url = new URL(entry.url);
    return {
      ...entry,
      snapshots: entry.snapshots ?? [],
      asks: entry.asks ?? [],
      records: entry.records ?? [],
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      schemaPath: resolve(base, entry.schema),
      entryPath: resolve(base, 'subgraphs', entry.name, `index${CODE_EXTENSION}`),
      envPrefix: entry.name.toUpperCase().replaceAll('-', '_'),
    };
  });
}
