/** A seeded PRNG (mulberry32): the same seed gives the same cases on every run. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
export type Random = ReturnType<typeof prng>;

/** One generated request. */
export interface FuzzCase {
  kind: 'body' | 'query' | 'variables' | 'headers';
  method: string;
  /** Query string appended to the endpoint, for GETs. */
  search: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** Real operations of this schema, the seeds the query mutations start from. */
const SEEDS = [
  '{ wantedPerson(id: "W000000001") { id noticeType fullName aliases status } }',
  'query Cases($first: Int, $after: String) { cases(first: $first, after: $after) { totalCount nodes { caseNumber title status } pageInfo { endCursor hasNextPage } } }',
  '{ case(caseNumber: "C000000001") { title subjects(first: 3) { nodes { fullName cases { nodes { caseNumber } } } } relatedProperty { nodes { __typename description } } } }',
  'query Search($name: String!, $dob: String) { searchWantedPersons(name: $name, dateOfBirth: $dob) { nodes { id fullName } } }',
  '{ vehiclesByPlate(plate: "AB-123-CD") { nodes { id vin plate make model } } }',
  'query($kind: PropertyKind) { searchProperty(kind: $kind, first: 5) { nodes { ... on Vehicle { vin } ... on Firearm { serialNumber } } } }',
  'fragment P on WantedPerson { id fullName } query { wantedPersonsByNotice(noticeType: RED) { nodes { ...P } } }',
  '{ __schema { queryType { name } } __typename }',
  // Defaulted variables read before planning (directives, slicing), for cases that omit them. Non-null,
  // so a null is a variable error: a nullable one sent null is a field error, coded INTERNAL_SERVER_ERROR
  // by Apollo as by Liaison (test/conformance.test.ts).
  'query($v: Boolean! = true, $first: Int = 3) { cases(first: $first) { nodes { caseNumber title @include(if: $v) status @skip(if: $v) } } }',
  'query($v: Boolean! = false) { propertyItem(id: "V000000001") { id ... on Vehicle @include(if: $v) { vin } ...Item @skip(if: $v) } } fragment Item on PropertyItem { description }',
  'query($filter: AuditTrailFilter = { kind: DISCLOSURE }, $v: Boolean! = true) { wantedPersonsAudit(filter: $filter, first: 1) { totalCount @include(if: $v) } }',
];
/** Variables the seeds declare, and one they do not. */
const VARIABLE_NAMES = ['v', 'first', 'after', 'name', 'dob', 'kind', 'filter', 'undeclared'];
const SNIPPETS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  '...',
  '@skip(if: true)',
  '$x',
  ': ',
  '"',
  '\\u0000',
  '#',
  'query',
  'fragment F on Case { title }',
  '...F',
  'mutation',
  'subscription',
  '__typename',
  'x'.repeat(50),
  '0'.repeat(40),
  '"\\uD800"',
  '\n',
  'alias: ',
];
const VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -1e-308,
  2 ** 53 + 1,
  'x',
  '',
  '😀'.repeat(10),
  'W000000001',
  [],
  [1, [2, [3]]],
  {},
  { a: { b: { c: {} } } },
  'C000000001',
  'RED',
  'NOT_AN_ENUM',
  '1980-02-30',
  'ZZ',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/graphql',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/graphql-response+json',
  '',
  'application/json, text/plain',
  '*/*',
  'application/jsonx',
];
const ACCEPTS = [
  'application/json',
  'application/graphql-response+json',
  'text/html',
  '*/*',
  'application/xml',
  'multipart/mixed; deferSpec=20220824',
  '',
  'application/graphql-response+json; charset=utf-16',
];
const AUTHS = [
  'Bearer ',
  'Bearer abc',
  'Bearer a.b.c',
  'Basic dXNlcjpwYXNz',
  'bearer eyJhbGciOiJub25lIn0.e30.',
  `Bearer ${'x'.repeat(5000)}`,
  'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig',
  'Token 123',
];
const PURPOSES = ['INVESTIGATION', 'nope', '', 'AUDIT', 'x'.repeat(300), 'investigation'];

function mutate(random: Random, source: string): string {
  let text = source;
  for (let step = 0, steps = 1 + random.int(4); step < steps; step += 1) {
    const at = random.int(text.length + 1);
    const operation = random.int(5);
    if (operation === 0) text = text.slice(0, at) + text.slice(at + 1 + random.int(8));
    else if (operation === 1) text = text.slice(0, at) + random.pick(SNIPPETS) + text.slice(at);
    else if (operation === 2) text = text.slice(0, at) + String.fromCharCode(random.int(0x2fff)) + text.slice(at + 1);
    else if (operation === 3) text = text.slice(0, at) + text.slice(at, at + random.int(40)).repeat(1 + random.int(30)) + text.slice(at);
    else text = `{ ${'a: wantedPerson(id: "W1") { '.repeat(1 + random.int(20))}id${' }'.repeat(random.int(22))} }`;
  }
  return text;
}

function randomJson(random: Random, depth = 0): unknown {
  if (depth > 3 || random.next() < 0.5) return random.pick(VALUES);
  if (random.next() < 0.5) return Array.from({ length: random.int(4) }, () => randomJson(random, depth + 1));
  return Object.fromEntries(
    Array.from({ length: random.int(4) }, (_, i) => [
      random.pick([...VARIABLE_NAMES, 'id', 'recordId', `k${i}`]),
      randomJson(random, depth + 1),
    ]),
  );
}

/** JSON text of lists or objects nested thousands of levels deep: more than JSON.stringify can write. */
function deepJson(random: Random): string {
  const levels = 1_000 + random.int(20_000);
  const [open, close] = random.pick([
    ['[', ']'],
    ['{"recordId":', '}'],
    ['{"and":[', ']}'],
  ]);
  return `${open!.repeat(levels)}${JSON.stringify(random.pick(VALUES))}${close!.repeat(levels)}`;
}

function rawBody(random: Random): string {
  const valid = JSON.stringify({ query: random.pick(SEEDS), variables: randomJson(random) });
  switch (random.int(8)) {
    case 0:
      return valid.slice(0, random.int(valid.length));
    case 1:
      return Array.from({ length: random.int(200) }, () => String.fromCharCode(random.int(256))).join('');
    case 2:
      return JSON.stringify(randomJson(random));
    case 3:
      return JSON.stringify({
        query: randomJson(random),
        operationName: randomJson(random),
        variables: randomJson(random),
        extensions: randomJson(random),
      });
    case 4:
      return JSON.stringify({
        extensions: {
          persistedQuery: { version: random.pick([1, 2, '1', null]), sha256Hash: random.pick(['', 'zz', 'a'.repeat(64), 42]) },
        },
      });
    case 5:
      return `${'['.repeat(2000 + random.int(5000))}${']'.repeat(random.int(3))}`;
    case 6:
      return JSON.stringify([{ query: random.pick(SEEDS) }, { query: '{ __typename }' }]);
    default:
      return valid.replace(/"/g, random.pick(["'", '`', '""']));
  }
}

/** The `index`-th case of the run: each kind in turn, varied by the PRNG. */
export function fuzzCase(random: Random, index: number, bearer: Record<string, string>): FuzzCase {
  const kind = (['body', 'query', 'variables', 'headers'] as const)[index % 4]!;
  const json = { 'content-type': 'application/json', ...bearer };
  if (kind === 'body') return { kind, method: 'POST', search: '', headers: json, body: rawBody(random) };
  if (kind === 'query')
    return { kind, method: 'POST', search: '', headers: json, body: JSON.stringify({ query: mutate(random, random.pick(SEEDS)) }) };
  if (kind === 'variables') {
    const query = random.pick(SEEDS);
    const roll = random.next();
    if (roll < 0.15)
      return {
        kind,
        method: 'POST',
        search: '',
        headers: json,
        body: `{"query":${JSON.stringify(query)},"variables":{"${random.pick(VARIABLE_NAMES)}":${deepJson(random)}}}`,
      };
    // Omitted altogether: every declared default applies.
    const variables = roll < 0.3 ? undefined : roll < 0.45 ? random.pick(VALUES) : randomJson(random);
    return {
      kind,
      method: 'POST',
      search: '',
      headers: json,
      body: JSON.stringify({ query, variables, operationName: random.next() < 0.2 ? random.pick(['Cases', 'Nope', '']) : undefined }),
    };
  }
  const headers: Record<string, string> = {};
  if (random.next() < 0.8) headers['content-type'] = random.pick(CONTENT_TYPES);
  if (random.next() < 0.5) headers.accept = random.pick(ACCEPTS);
  headers.authorization = random.next() < 0.5 ? random.pick(AUTHS) : bearer.authorization!;
  if (random.next() < 0.3) headers['liaison-purpose'] = random.pick(PURPOSES);
  if (random.next() < 0.3) headers['apollo-require-preflight'] = 'true';
  const method = random.pick(['GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH']);
  const query = random.pick(SEEDS);
  const search =
    method === 'GET'
      ? `?${new URLSearchParams({ query: random.next() < 0.5 ? query : mutate(random, query), variables: JSON.stringify(randomJson(random)) })}`
      : '';
  return {
    kind,
    method,
    search,
    headers,
    body: method === 'GET' ? undefined : random.next() < 0.5 ? JSON.stringify({ query }) : rawBody(random),
  };
}
