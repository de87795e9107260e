/** One request sent to both gateways: its JSON body. */
export interface ConformanceCase {
  name: string;
  body: string;
}

/** A case whose body is the query and, unless undefined, these variables. */
function op(name: string, query: string, variables?: unknown): ConformanceCase {
  return { name, body: JSON.stringify({ query, variables }) };
}

const PERSON = 'W000000001';

/** JSON text of a value nested `levels` deep, lists in lists or objects in objects: too deep for JSON.stringify. */
export function nested(levels: number, kind: 'list' | 'object'): string {
  const [open, close] = kind === 'list' ? ['[', ']'] : ['{"recordId":', '}'];
  return `${open.repeat(levels)}"W000000001"${close.repeat(levels)}`;
}

/** A case whose `variables` are the JSON text given. */
function raw(name: string, query: string, variables: string): ConformanceCase {
  return { name, body: `{"query":${JSON.stringify(query)},"variables":${variables}}` };
}

const DEFAULTED = `query($v: Boolean = true) { wantedPerson(id: "${PERSON}") { id noticeType @include(if: $v) } }`;
const PAGED = 'query($first: Int = 2) { cases(first: $first) { nodes { caseNumber } } }';
const COMBINED = `query($s: Boolean!, $i: Boolean!) { wantedPerson(id: "${PERSON}") { id status @skip(if: $s) @include(if: $i) } }`;
const FRAGMENTS = `query($v: Boolean = false, $s: Boolean = true) {
  wantedPerson(id: "${PERSON}") {
    id
    ...Names @include(if: $v)
    ... on WantedPerson @skip(if: $s) { nationality }
    ... @include(if: $v) { status }
  }
}
fragment Names on WantedPerson { fullName aliases }`;
const NESTED = `query($a: Boolean = true, $b: Boolean = false) {
  case(caseNumber: "C000000001") {
    caseNumber
    relatedProperty(first: 3) @include(if: $a) {
      nodes { id description @skip(if: $b) ... on Vehicle @include(if: $b) { vin } }
    }
    subjects @skip(if: $a) { totalCount }
  }
}`;
const ALIASES = `query($v: Boolean = true) {
  wantedPerson(id: "${PERSON}") {
    shown: fullName @include(if: $v)
    hidden: fullName @skip(if: $v)
    also: fullName @include(if: true) @skip(if: false)
    noticeType @skip(if: true)
    noticeType
  }
}`;
const ABSTRACT = `query($v: Boolean = true) {
  searchProperty(first: 8) {
    nodes {
      __typename
      id
      ... on Vehicle { vin plate }
      ... on Firearm @include(if: $v) { serialNumber calibre }
      ... on TravelDocument @skip(if: $v) { documentNumber }
      ... on Artwork { title }
      ... on PropertyItem { kind }
    }
  }
}`;
const ITEM =
  'query($id: ID! = "V000000001") { propertyItem(id: $id) { __typename id ... on Vehicle { make model } ... on Artwork { artist } } }';
const SEARCH =
  'query($name: String!, $kind: PropertyKind = VEHICLE) { searchWantedPersons(name: $name, first: 2) { totalCount } searchProperty(kind: $kind, first: 2) { nodes { kind } } }';
const AUDIT = 'query($filter: AuditTrailFilter) { wantedPersonsAudit(filter: $filter, first: 1) { totalCount } }';
const EXPENSIVE =
  'query($first: Int!, $v: Boolean!) { cases(first: $first) { nodes { subjects(first: $first) { nodes { cases(first: $first) { nodes { caseNumber @include(if: $v) } } } } } } }';
const IDS = 'mutation($ids: [ID!]!) { refreshLinkSnapshots(entity: "WantedPerson", ids: $ids) }';

/** The execution rules the gateway applies before planning, as valid operations that must answer 200. */
export const VALID_CASES: ConformanceCase[] = [
  op('defaulted @include variable omitted', DEFAULTED),
  op('defaulted @include variable sent false', DEFAULTED, { v: false }),
  op('defaulted @include variable sent true', DEFAULTED, { v: true }),
  // Valid (a nullable variable with a default may stand for Boolean!), but null then fails `if`: a field error.
  op('defaulted @include variable explicitly null', DEFAULTED, { v: null }),
  op('defaulted slicing variable omitted', PAGED),
  op('defaulted slicing variable sent', PAGED, { first: 1 }),
  op('defaulted slicing variable explicitly null', PAGED, { first: null }),
  op(
    'skip and include literals on fields',
    `{ wantedPerson(id: "${PERSON}") { id a: status @skip(if: true) b: status @include(if: false) c: status @skip(if: false) @include(if: true) } }`,
  ),
  ...[true, false].flatMap((s) => [true, false].map((i) => op(`skip(${s}) and include(${i}) on one field`, COMBINED, { s, i }))),
  op('directives on fragment spreads and inline fragments, defaults', FRAGMENTS),
  op('directives on fragment spreads and inline fragments, sent', FRAGMENTS, { v: true, s: false }),
  op('nested directives, defaults', NESTED),
  op('nested directives, flipped', NESTED, { a: true, b: true }),
  op('nested directives, outer skipped', NESTED, { a: false }),
  op('aliases of one field under different directives', ALIASES),
  op('aliases of one field under different directives, flipped', ALIASES, { v: false }),
  op('interface with inline fragments on its types', ABSTRACT),
  op('interface with inline fragments on its types, flipped', ABSTRACT, { v: false }),
  op('non-null variable with a default, omitted', ITEM),
  op('enum variable with a default, omitted', SEARCH, { name: 'a' }),
  raw('undeclared variables are ignored, however deep', DEFAULTED, `{"other":${nested(20_000, 'list')}}`),
];

/** Requests graphql-js and Apollo refuse: both gateways must refuse them the same way. */
export const INVALID_CASES: ConformanceCase[] = [
  op('wrong type for a directive variable', DEFAULTED, { v: 'yes' }),
  op('wrong type for a slicing variable', PAGED, { first: 'ten' }),
  op('missing required variable', COMBINED, { s: true }),
  op('null for a required variable', COMBINED, { s: null, i: true }),
  // Over any cost budget too, but graphql-js refuses the variables first: that is the answer.
  op('invalid variables of an operation over the cost limit', EXPENSIVE, { first: 100, v: 'x' }),
  op('unknown enum value', SEARCH, { name: 'a', kind: 'BOAT' }),
  op('unknown input field', AUDIT, { filter: { nope: 1 } }),
  op('variables not an object', DEFAULTED, [true]),
  raw('deeply nested list for a list variable', IDS, `{"ids":${nested(20_000, 'list')}}`),
  raw('deeply nested object for an input object variable', AUDIT, `{"filter":${nested(20_000, 'object')}}`),
  raw('deeply nested list for a directive variable', DEFAULTED, `{"v":${nested(20_000, 'list')}}`),
];
