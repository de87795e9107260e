import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSupergraphConfig } from './supergraph-config.ts';

/** A supergraph.yaml in a scratch schema/ folder, as the repository lays it out. */
function yamlFile(text: string): string {
  const root = mkdtempSync(join(tmpdir(), 'liaison-supergraph-'));
  mkdirSync(join(root, 'schema'));
  const path = join(root, 'schema', 'supergraph.yaml');
  writeFileSync(path, text);
  return path;
}

const entry = (name: string, extra = '') =>
  `  - name: ${name}\n    agency: XXIPO0000\n    url: http://localhost:4001/graphql\n    schema: subgraphs/${name}/schema.graphql\n${extra}`;

describe('schema/supergraph.yaml snapshots', () => {
  it('lists whose records a subgraph snapshots, and nothing for the others', () => {
    const entries = readSupergraphConfig();
    expect(entries.find((e) => e.name === 'case-status')!.snapshots).toEqual(['wanted-persons', 'stolen-property']);
    expect(entries.find((e) => e.name === 'wanted-persons')!.snapshots).toEqual([]);
  });

  it('refuses a snapshot of an unlisted subgraph or of itself, naming the entry', () => {
    const path = yamlFile(`subgraphs:\n${entry('owner')}${entry('keeper', '    snapshots: [owner, ghost, keeper]\n')}`);
    expect(() => readSupergraphConfig(path)).toThrow(
      /subgraphs\.1\.snapshots\.1: must name another subgraph of this list, not ghost\n.*subgraphs\.1\.snapshots\.2: must name another subgraph of this list, not keeper/,
    );
  });
});

describe('schema/supergraph.yaml records', () => {
  const record = (type: string, letters: string) =>
    `    records: [{ type: ${type}, label: ${type.toLowerCase()} record, letters: ${letters}, grant: grant${type}Release }]\n`;

  it('lists the kinds of record a hit can be on, and none for a subgraph without', () => {
    const entries = readSupergraphConfig();
    expect(entries.find((e) => e.name === 'wanted-persons')!.records).toEqual([
      { type: 'WantedPerson', label: 'wanted-person record', letters: 'W', grant: 'grantWantedPersonRelease' },
    ]);
    expect(entries.find((e) => e.name === 'case-status')!.records).toEqual([]);
  });

  it('refuses an id letter two kinds would share, and a grant that is not a grant mutation', () => {
    const path = yamlFile(`subgraphs:\n${entry('a', record('Pistol', 'PW'))}${entry('b', record('Warrant', 'W'))}`);
    expect(() => readSupergraphConfig(path)).toThrow(/subgraphs\.1\.records\.0\.letters: W starts another record's ids/);
    const wrong = yamlFile(`subgraphs:\n${entry('a', '    records: [{ type: Pistol, label: pistol, letters: P, grant: dropTables }]\n')}`);
    expect(() => readSupergraphConfig(wrong)).toThrow(/subgraphs\.0\.records\.0\.grant: must be the owner's grant mutation/);
  });
});
