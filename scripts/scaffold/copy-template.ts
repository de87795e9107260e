import { cpSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as prettier from 'prettier';
import { ROOT } from '../../lib/config/supergraph-config.ts';
import type { ScaffoldNames } from './names.ts';

/** The template: a subgraph like the shipped ones, type-checked, linted and tested with them, never registered. */
export const TEMPLATE = resolve(ROOT, 'subgraphs/example-register');

/** The names the template is written with (scaffoldNames of `example-register --entity ExampleRecord`). */
const TEMPLATE_NAMES = {
  subgraph: 'example-register',
  pascalSubgraph: 'ExampleRegister',
  camelSubgraph: 'exampleRegister',
  entity: 'ExampleRecord',
  list: 'exampleRecords',
  lookup: 'exampleRecord',
  table: 'example_record',
  kebabEntity: 'example-record',
  agency: 'XMPL00001',
  letter: 'E',
};

/** Every name of the template with what it becomes, matched in one pass so a new name is never renamed again. */
function renamer(n: ScaffoldNames): (text: string) => string {
  const target: Record<keyof typeof TEMPLATE_NAMES, string> = {
    subgraph: n.subgraph,
    pascalSubgraph: n.pascalSubgraph,
    camelSubgraph: n.camelSubgraph,
    entity: n.entity,
    list: n.list,
    lookup: n.lookup,
    table: n.table,
    kebabEntity: n.kebabEntity,
    agency: n.agency,
    letter: n.letter,
  };
  const { letter, ...words } = TEMPLATE_NAMES;
  const by = new Map(Object.entries(words).map(([name, word]) => [word, target[name as keyof typeof target]]));
  const pattern = new RegExp([...by.keys()].sort((a, b) => b.length - a.length).join('|'), 'g');
  // Record ids (E000000001, or lower-cased in a test of case-insensitive lookups) and the letter constant.
  const id = new RegExp(`\\b(${letter}|${letter.toLowerCase()})(\\d{9})\\b`, 'g');
  const constant = `RECORD_LETTER = '${letter}'`;
  return (text) =>
    text
      .replace(pattern, (word) => by.get(word)!)
      .replace(id, (_, first: string, digits: string) => `${first === letter ? n.letter : n.letter.toLowerCase()}${digits}`)
      .replace(constant, `RECORD_LETTER = '${n.letter}'`);
}

/**
 * Copies the template to subgraphs/<name>/, renaming its files and every name inside them, then formats
 * them: longer names wrap differently, and the new folder must pass `npm run lint` as the template does.
 */
export async function copyTemplate(n: ScaffoldNames): Promise<string> {
  const folder = resolve(ROOT, 'subgraphs', n.subgraph);
  cpSync(TEMPLATE, folder, { recursive: true, errorOnExist: true, force: false });
  const rename = renamer(n);
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, rename(entry.name));
    renameSync(join(entry.parentPath, entry.name), path);
    await writeFormatted(path, rename(readFileSync(path, 'utf8')));
  }
  return folder;
}

/** Writes `text` to `path` as the formatter would leave it, so generated and edited files pass `npm run lint`. */
export async function writeFormatted(path: string, text: string = readFileSync(path, 'utf8')): Promise<void> {
  const { inferredParser } = await prettier.getFileInfo(path);
  const options = await prettier.resolveConfig(path);
  writeFileSync(path, inferredParser ? await prettier.format(text, { ...options, filepath: path }) : text);
}
