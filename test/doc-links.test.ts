import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../lib/config/supergraph-config.ts';

const SHARED = resolve(ROOT, '../shared/');
const PAGES = ['README.md', ...readdirSync(resolve(ROOT, 'docs')).map((page) => `docs/${page}`)];

// A reader following the README into docs/ and back must never land on a missing file.
describe.each(PAGES)('%s', (page) => {
  it('links only to files that exist', () => {
    const text = readFileSync(resolve(ROOT, page), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/.test(target));
    // The team's shared design notes sit beside the repository, not in it; every other link stays inside and exists.
    const paths = targets.map((target) => resolve(dirname(resolve(ROOT, page)), target)).filter((path) => !path.startsWith(SHARED));
    expect(paths.filter((path) => !path.startsWith(`${ROOT}/`) || !existsSync(path))).toEqual([]);
  });
});
