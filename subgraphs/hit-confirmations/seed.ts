import type { Db, SeedSize } from '../kit/index.ts';

/**
 * No demo requests: a request states what its owner showed the requester when it was made, which the demo
 * data of the other subgraphs decide; the README's walkthrough makes one.
 */
export async function seed(_db: Db, _size: Exclude<SeedSize, 'none'>): Promise<void> {}
