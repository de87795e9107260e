import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../lib/authz/principal.ts';
import { ENGINES } from '../../test/support/databases.ts';
import { askSubgraph, FULL_ACCESS } from '../../test/support/identity.ts';
import { startTestSubgraph, type TestSubgraph } from '../../test/support/test-subgraph.ts';
import { personId, seedOwnershipOf } from '../kit/index.ts';
import { buildServer } from './server.ts';

describe.each(ENGINES)('wanted-persons on %s', (engine) => {
  let subgraph: TestSubgraph;
  let url: string;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(buildServer, engine, 'wanted_persons');
    url = subgraph.url;
  });
  afterAll(() => subgraph?.stop());

  const search = (args: string, fields = 'id fullName aliases dateOfBirth nationality') =>
    askSubgraph(url, `{ searchWantedPersons(${args}) { totalCount pageInfo { hasNextPage endCursor } nodes { ${fields} } } }`);

  it('looks a record up by id, with its warrant, ownership and provenance', async () => {
    const response = await askSubgraph(
      url,
      '{ wantedPerson(id: "w000000001") { id fullName noticeType status owningAgency jurisdiction releasability { mode } provenance { owningAgency sourceSubgraph sourceSystem } } }',
    );
    const person = response.data!.wantedPerson;
    expect(person.id).toBe('W000000001');
    expect(person.provenance).toMatchObject({ owningAgency: person.owningAgency, sourceSubgraph: 'wanted-persons' });
    expect(person.owningAgency).toMatch(/^[A-Z0-9]{9}$/);
    expect(person.jurisdiction).toMatch(/^[A-Z]{2}(-[A-Z0-9]+)?$/);
  });

  it('finds names and aliases regardless of case and accents', async () => {
    const accented = await search('name: "Müller", first: 100');
    const plain = await search('name: "MULLER", first: 100');
    expect(accented.data!.searchWantedPersons.totalCount).toBeGreaterThan(0);
    expect(plain.data).toEqual(accented.data);
    for (const node of plain.data!.searchWantedPersons.nodes) {
      expect([node.fullName, ...node.aliases].join(' ').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()).toContain('muller');
    }
    const polish = await search('name: "lukasz"', 'fullName aliases');
    expect(
      polish.data!.searchWantedPersons.nodes.some((n: any) => [n.fullName, ...n.aliases].some((name: string) => name.includes('Łukasz'))),
    ).toBe(true);
  });

  it('narrows a search by date of birth and nationality', async () => {
    const all = await search('name: "a", first: 1');
    const first = all.data!.searchWantedPersons.nodes[0];
    const narrowed = await search(
      `name: "${first.fullName}", dateOfBirth: "${first.dateOfBirth}", nationality: "${first.nationality.toLowerCase()}"`,
    );
    expect(narrowed.data!.searchWantedPersons.nodes.map((n: any) => n.id)).toContain(first.id);
    for (const node of narrowed.data!.searchWantedPersons.nodes)
      expect(node).toMatchObject({ dateOfBirth: first.dateOfBirth, nationality: first.nationality });
  });

  it('pages through a notice list without overlap, and counts it', async () => {
    const query = (after?: string) =>
      askSubgraph(
        url,
        `{ wantedPersonsByNotice(noticeType: RED, first: 30${after ? `, after: "${after}"` : ''}) { totalCount pageInfo { hasNextPage endCursor } nodes { id noticeType } } }`,
      );
    const seen: string[] = [];
    let after: string | undefined;
    let total = 0;
    for (;;) {
      const page = (await query(after)).data!.wantedPersonsByNotice;
      total = page.totalCount;
      seen.push(...page.nodes.map((n: any) => n.id));
      expect(page.nodes.every((n: any) => n.noticeType === 'RED')).toBe(true);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(30);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('refuses page sizes outside 1..100 and bad filters with BAD_USER_INPUT naming the argument', async () => {
    for (const [args, field] of [
      ['name: "a", first: 0', 'first'],
      ['name: "a", first: 101', 'first'],
      ['name: "a", nationality: "France"', 'nationality'],
      ['name: "   "', 'name'],
    ]) {
      const response = await search(args!);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('resolves entity references in one batch, null for unknown ids', async () => {
    const response = await askSubgraph(
      url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on WantedPerson { id familyName } } }',
      {
        r: [
          { __typename: 'WantedPerson', id: 'W000000002' },
          { __typename: 'WantedPerson', id: 'W999999999' },
          { __typename: 'WantedPerson', id: 'W000000001' },
        ],
      },
    );
    const [second, missing, first] = response.data!._entities;
    expect(second.id).toBe('W000000002');
    expect(missing).toBeNull();
    expect(first.id).toBe('W000000001');
  });

  it('answers a record only its owner may see as if it did not exist, except to the owner', async () => {
    const index = Array.from({ length: 400 }, (_, i) => i + 1).find((i) => seedOwnershipOf('person', i).release_mode === 'OWNER_ONLY')!;
    const owner: Caller = {
      ...FULL_ACCESS,
      principal: { ...FULL_ACCESS.principal!, agency: seedOwnershipOf('person', index).owning_agency, jurisdictions: [] },
    };
    const query =
      'query($id: ID!, $r: [_Any!]!) { wantedPerson(id: $id) { id } _entities(representations: $r) { ... on WantedPerson { id } } }';
    const ask = (id: string, caller?: Caller) => askSubgraph(url, query, { id, r: [{ __typename: 'WantedPerson', id }] }, caller);
    const hidden = await ask(personId(index));
    expect(hidden).toEqual({ ...(await ask('W999999999')) });
    expect(hidden.data).toEqual({ wantedPerson: null, _entities: [null] });
    expect((await ask(personId(index), owner)).data).toEqual({
      wantedPerson: { id: personId(index) },
      _entities: [{ id: personId(index) }],
    });
  });
});
