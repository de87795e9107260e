import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../lib/authz/scopes.ts';
import { seedOwnershipOf } from '../subgraphs/kit/seed/seed-agencies.ts';
import { devAuditKey } from '../subgraphs/kit/audit/load-audit-key.ts';
import { CursorSealer } from '../subgraphs/kit/rows/cursor-sealer.ts';
import { encodeCursor } from '../subgraphs/kit/rows/pagination.ts';
import { personId, SEED_COUNTS } from '../subgraphs/kit/seed/seed-plan.ts';
import { type GraphqlResponse, graphql } from './support/graphql-client.ts';
import { FULL_ACCESS, identityHeaders } from './support/identity.ts';
import { canSee } from './support/row-oracle.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// A partner granted only Bavaria tries to see beyond its grants through everything it controls.
const BAVARIA = { agency: 'DELKABY01', subject: 'bavaria', scopes: ALL_SCOPES, jurisdictions: ['DE-BY'] };
const viewer = { agency: BAVARIA.agency, jurisdictions: BAVARIA.jurisdictions };
const persons = Array.from({ length: SEED_COUNTS.demo.persons }, (_, i) => ({ id: personId(i + 1), ...seedOwnershipOf('person', i + 1) }));
/** A German country-level person released to everyone granted Germany: hidden from a Bavaria-only grant. */
const hidden = persons.find((person) => person.jurisdiction === 'DE' && person.release_mode === 'ALL_GRANTED' && !canSee(viewer, person))!;
const shown = persons.filter((person) => canSee(viewer, person)).map((person) => person.id);

/** The cursor `subgraph` issues for a page ending at `key`, sealed as the stack's subgraphs seal (their development audit keys). */
const cursorAt = (subgraph: string, key: string) => CursorSealer.forSubgraph(devAuditKey(subgraph), subgraph).seal(encodeCursor(key));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const ask = async (
  query: string,
  variables: Record<string, unknown> = {},
  extraHeaders: Record<string, string> = {},
): Promise<GraphqlResponse> => graphql(stack.gatewayUrl, query, variables, { ...(await bearer(BAVARIA)), ...extraHeaders });
const LOOKUP = 'query($id: ID!) { wantedPerson(id: $id) { id } }';
const LIST = 'query($a: String) { wantedPersonsByNotice(noticeType: RED, first: 100, after: $a) { totalCount nodes { id } } }';

describe('a partner cannot widen its grants', () => {
  it('finds the chosen record hidden, and some others shown, to begin with', async () => {
    expect(hidden).toBeDefined();
    expect(shown.length).toBeGreaterThan(0);
    expect((await ask(LOOKUP, { id: hidden.id })).data).toEqual({ wantedPerson: null });
  });

  it('through arguments and variables: filters only narrow what the grants allow', async () => {
    const country = await ask('{ searchProperty(jurisdiction: "DE", first: 100) { totalCount nodes { jurisdiction } } }');
    const region = await ask('query($j: String) { searchProperty(jurisdiction: $j, first: 100) { totalCount nodes { jurisdiction } } }', {
      j: 'de-by',
    });
    expect(country.data!.searchProperty.totalCount).toBeGreaterThan(0);
    expect(country.data).toEqual(region.data);
    expect(new Set(country.data!.searchProperty.nodes.map((node: { jurisdiction: string }) => node.jurisdiction))).toEqual(
      new Set(['DE-BY']),
    );
    const led = await ask('query($a: String) { cases(leadAgency: $a, first: 100) { nodes { jurisdiction } } }', { a: 'DEBKA0001' });
    expect(led.data!.cases.nodes.every((node: { jurisdiction: string }) => node.jurisdiction === 'DE-BY')).toBe(true);
    // Variables the operation does not declare are ignored, whatever they are called.
    const smuggled = await ask(LOOKUP, { id: hidden.id, jurisdictions: ['DE'], agency: hidden.owning_agency });
    expect(smuggled.data).toEqual({ wantedPerson: null });
  });

  // Partners cannot make cursors (test/opaque-cursors.test.ts); these are sealed as the subgraph would, so a
  // cursor naming a hidden record (another partner's page ended there) is still held to the row rules.
  it('through hand-crafted cursors: a cursor naming a hidden record reveals nothing', async () => {
    const before = `W${String(Number(hidden.id.slice(1)) - 1).padStart(9, '0')}`;
    const atHidden = await ask(LIST, { a: cursorAt('wanted-persons', hidden.id) });
    const justBefore = await ask(LIST, { a: cursorAt('wanted-persons', before) });
    expect(atHidden.errors).toBeUndefined();
    expect(atHidden.data!.wantedPersonsByNotice.nodes.map((node: { id: string }) => node.id)).not.toContain(hidden.id);
    expect(justBefore.data!.wantedPersonsByNotice.nodes.map((node: { id: string }) => node.id)).not.toContain(hidden.id);
    for (const forged of ["W' or true --", '%', 'W000000000']) {
      const page = await ask(LIST, { a: cursorAt('wanted-persons', forged) });
      expect(page.errors, forged).toBeUndefined();
      for (const node of page.data!.wantedPersonsByNotice.nodes) expect(shown, forged).toContain(node.id);
    }
    const nested = await ask(
      `{ cases(first: 100) { nodes { subjects(first: 100, after: "${cursorAt('case-status', before)}") { nodes { id } } } } }`,
    );
    expect(JSON.stringify(nested.data)).not.toContain(hidden.id);
  });

  it('through headers: a smuggled gateway identity or jurisdiction header changes nothing', async () => {
    const plain = await ask(LOOKUP, { id: hidden.id });
    const forgedHeaders = [
      await identityHeaders(FULL_ACCESS),
      { 'liaison-identity': 'eyJhbGciOiJub25lIn0.eyJqdXJpc2RpY3Rpb25zIjpbIkRFIl19.' },
      { 'liaison-jurisdictions': 'DE', 'x-jurisdictions': 'DE', 'x-agency': hidden.owning_agency, 'liaison-agency': hidden.owning_agency },
    ];
    for (const headers of forgedHeaders) {
      expect(await ask(LOOKUP, { id: hidden.id }, headers)).toEqual(plain);
      const list = await ask(LIST, {}, headers);
      for (const node of list.data!.wantedPersonsByNotice.nodes) expect(shown).toContain(node.id);
    }
  });
});
