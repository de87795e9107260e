import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { composeSupergraph } from './compose-supergraph.ts';

describe('composition', () => {
  it('composes the listed subgraphs, and the committed supergraph is not stale', () => {
    const result = composeSupergraph(readSupergraphConfig());
    expect(result.ok).toBe(true);
    const out = execFileSync('node', ['--import', 'tsx', 'schema/compose.ts', '--check'], { cwd: ROOT }).toString();
    expect(out).toContain('is up to date');
  });

  it('names the subgraph, the problem and the line when a subgraph SDL is broken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liaison-compose-'));
    const broken = join(dir, 'schema.graphql');
    writeFileSync(broken, 'type Query {\n  wantedPerson(id: ID!): WantedPerson\n');
    const entries = readSupergraphConfig().map((entry) => (entry.name === 'wanted-persons' ? { ...entry, schemaPath: broken } : entry));
    const result = composeSupergraph(entries);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toMatch(/^wanted-persons: Syntax Error: .*line \d+:\d+/);
  });

  it('reports composition conflicts between subgraphs readably', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liaison-compose-'));
    const conflicting = join(dir, 'schema.graphql');
    // Case.title is owned by case-status; redefining it elsewhere without @shareable must fail composition.
    writeFileSync(conflicting, 'type Case @key(fields: "caseNumber") { caseNumber: ID! title: Int }\ntype Query { noop: Int }\n');
    const entries = [...readSupergraphConfig(), { ...readSupergraphConfig()[0]!, name: 'rogue', schemaPath: conflicting }];
    const result = composeSupergraph(entries);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toMatch(/\[[A-Z_]+\] .*Case\.title/);
  });
});
