import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Server as TlsServer } from 'node:tls';
import { Agent } from 'undici';
import { hasOpenssl, makeTestCertificates, type TestCertificates } from './support/test-certificates.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import type { DevTokenClaims } from '../lib/identity/dev-token.ts';
import { createLogger, type Logger } from '../lib/observability/logger.ts';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway } from '../gateway/server.ts';
import { personId } from '../subgraphs/kit/seed/seed-plan.ts';
import { peerCaOf, serverCertificateOf, subgraphConfigSchema } from '../subgraphs/kit/server/subgraph-config.ts';
import { buildServer as buildCaseStatus } from '../subgraphs/case-status/server.ts';
import { graphql } from './support/graphql-client.ts';
import { memoryLog } from './support/memory-log.ts';
import { type ServiceProcess, startServiceProcess } from './support/service-process.ts';
import { type Stack, startStack } from './support/stack.ts';
import { startTestSubgraph, type TestSubgraph } from './support/test-subgraph.ts';
import { bearer } from './support/tokens.ts';

// Every subgraph serves HTTPS only, with a certificate for 127.0.0.1 signed by a CA of this test; the
// gateway and the subgraphs' calls to each other trust that CA and nothing else.

const missing = hasOpenssl() ? undefined : 'openssl is not installed';
if (missing) console.warn(`skipping the subgraph TLS test: ${missing}`);

let certificates: TestCertificates | undefined;
const path = (name: string) => certificates!.path(name);

const TLS_ENV = () => ({ TLS_CERT_FILE: path('server.crt'), TLS_KEY_FILE: path('server.key') });
const PERSON = 'query Person($id: ID!) { wantedPerson(id: $id) { id status } }';
const UNAVAILABLE = 'subgraph unavailable; answering without it';
/** What a client must never read about the link: certificate names, verification codes, the CA. */
const CERTIFICATE_DETAIL = /CERT|certificate|issuer|self[- ]signed|UNABLE_TO|liaison test CA|another CA|ERR_TLS|ERR_SSL/i;

const entries = readSupergraphConfig();
const routing = (urls: Record<string, string>) =>
  Object.fromEntries(entries.map((entry) => [`${entry.envPrefix}_URL`, urls[entry.name]!] as const));

/** A gateway of its own routed to `urls` with `env` (no SUBGRAPH_CA_FILE unless given), listening; close it. */
async function gatewayWith(urls: Record<string, string>, env: Record<string, string>, log: Logger = createLogger('test', 'silent')) {
  const gateway = await buildGateway(loadGatewayConfig({ ...routing(urls), LOG_LEVEL: 'silent', ...env }), log);
  const url = await gateway.listen(0, '127.0.0.1');
  await gateway.operations.listen(0, '127.0.0.1');
  return { url, close: () => gateway.close() };
}

const readiness = async (gatewayUrl: string) => (await (await fetch(new URL('/ready', gatewayUrl))).json()) as Record<string, any>;

describe.skipIf(missing !== undefined)('TLS between the gateway and the subgraphs', () => {
  let stack: Stack;
  let pool: Agent;
  beforeAll(async () => {
    certificates = makeTestCertificates('subgraph-tls', 'IP:127.0.0.1,DNS:localhost');
    writeFileSync(path('not-a-ca.pem'), 'no certificate here\n');
    // As run-subgraph reads them: the subgraphs' own variables, parsed by their schema.
    const config = subgraphConfigSchema(0).parse({ ...TLS_ENV(), SUBGRAPH_CA_FILE: path('ca.crt') });
    pool = new Agent({ connect: { ca: peerCaOf(config)! } });
    stack = await startStack('pglite', {
      subgraphOptions: { tls: serverCertificateOf(config), subgraphDispatcher: pool },
      gatewayEnv: { SUBGRAPH_CA_FILE: path('ca.crt') },
    });
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await pool?.close();
    certificates?.remove();
  });

  it('answers through the gateway from subgraphs that serve HTTPS only, verified against SUBGRAPH_CA_FILE, and reports them ready', async () => {
    for (const name of entries.map((entry) => entry.name)) {
      expect(stack.subgraphUrls[name]).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
      expect(stack.subgraphs[name]!.http).toBeInstanceOf(TlsServer);
    }
    const response = await graphql(stack.gatewayUrl, PERSON, { id: personId(1) }, await bearer());
    expect(response.errors).toBeUndefined();
    expect(response.data!.wantedPerson.id).toBe(personId(1));
    // Readiness probes go through the same pool, so they trust the same CA.
    expect(await readiness(stack.gatewayUrl)).toMatchObject({
      status: 'ready',
      subgraphs: { 'wanted-persons': 'up', 'stolen-property': 'up', 'case-status': 'up' },
    });
  });

  it.each([
    ["without SUBGRAPH_CA_FILE (Node's CAs do not know this one)", {}],
    ['with another CA in SUBGRAPH_CA_FILE', { SUBGRAPH_CA_FILE: 'other-ca.crt' }],
  ])(
    'cannot reach them %s: the coded subgraph error, no certificate detail for the client, the code for operators, no retry',
    async (_, env: Record<string, string>) => {
      const log = memoryLog();
      const gateway = await gatewayWith(
        stack.subgraphUrls,
        Object.fromEntries(Object.entries(env).map(([name, file]) => [name, path(file)])),
        log.log,
      );
      try {
        const response = await graphql(gateway.url, PERSON, { id: personId(1) }, await bearer());
        expect(response.status).toBe(200);
        expect(response.data).toEqual({ wantedPerson: null });
        expect(response.errors).toHaveLength(1);
        expect(response.errors![0]).toMatchObject({
          message: 'Subgraph "wanted-persons" is unavailable (TLS handshake failed); the fields it serves are null',
          path: ['wantedPerson'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'wanted-persons', reason: 'unreachable' },
        });
        expect(JSON.stringify(response)).not.toMatch(CERTIFICATE_DETAIL);
        // A certificate was presented and refused: only a TLS server gets this far.
        const logged = log.entries().filter((entry) => entry.msg === UNAVAILABLE);
        expect(logged).toEqual([
          expect.objectContaining({
            subgraph: 'wanted-persons',
            attempts: 1,
            detail: expect.stringMatching(
              /^TLS handshake failed: (SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/,
            ),
          }),
        ]);
        // Reported, not a reason to be unready: the gateway answers around the subgraph it cannot verify.
        expect(await readiness(gateway.url)).toMatchObject({ status: 'ready', subgraphs: { 'wanted-persons': 'down' } });
      } finally {
        await gateway.close();
      }
    },
  );

  it('refuses plain HTTP on a subgraph TLS port, to a client and to a gateway routed to http://', async () => {
    const plain = stack.subgraphUrls['wanted-persons']!.replace(/^https:/, 'http:');
    await expect(
      fetch(plain, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' }),
    ).rejects.toThrow('fetch failed');
    const gateway = await gatewayWith({ ...stack.subgraphUrls, 'wanted-persons': plain }, { SUBGRAPH_CA_FILE: path('ca.crt') });
    try {
      const response = await graphql(gateway.url, PERSON, { id: personId(1) }, await bearer());
      expect(response.data).toEqual({ wantedPerson: null });
      expect(response.errors![0]!.extensions).toMatchObject({
        code: 'SUBGRAPH_UNAVAILABLE',
        subgraph: 'wanted-persons',
        reason: 'unreachable',
      });
    } finally {
      await gateway.close();
    }
  });

  describe('subgraph-to-subgraph calls (case links) over TLS', () => {
    const PERSON_OWNER: Partial<DevTokenClaims> = { subject: 'fr-analyst', agency: 'FRPN00001', jurisdictions: ['FR'] };
    const CASE_OWNER: Partial<DevTokenClaims> = { subject: 'de-investigator', agency: 'DEBKA0001', jurisdictions: ['FR', 'DE'] };
    const PARTNER: Partial<DevTokenClaims> = { subject: 'es-analyst', agency: 'ESPN00001', jurisdictions: ['FR', 'DE', 'ES'] };
    const ISSUE = `mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id version } }`;
    const AMEND = `mutation Amend($id: ID!, $v: Int!, $input: AmendWantedNoticeInput!, $key: String!) {
      amendWantedNotice(id: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id version } }`;
    const OPEN = `mutation Open($input: OpenCaseInput!, $key: String!) { openCase(input: $input, idempotencyKey: $key) { caseNumber version } }`;
    const LINK = `mutation Link($c: ID!, $v: Int!, $id: ID!, $key: String!) { linkCaseSubject(caseNumber: $c, expectedVersion: $v, personId: $id, idempotencyKey: $key) { version } }`;
    const SUBJECTS = `query Subjects($c: ID!) { case(caseNumber: $c) { subjects { totalCount nodes { id } } } }`;
    const NOTICE = {
      familyName: 'Tls',
      givenNames: 'Tess',
      sex: 'UNKNOWN',
      noticeType: 'BLUE',
      jurisdiction: 'FR',
      releasability: { mode: 'ALL_GRANTED' },
    };
    const CASE = { title: 'Joint investigation over TLS', jurisdiction: 'DE', reason: 'Joint investigation team formed' };

    const ask = async (gatewayUrl: string, claims: Partial<DevTokenClaims>, query: string, variables: Record<string, unknown>) =>
      graphql(gatewayUrl, query, { ...variables, key: randomUUID() }, await bearer(claims));
    const write = async (gatewayUrl: string, claims: Partial<DevTokenClaims>, query: string, variables: Record<string, unknown>) => {
      const response = await ask(gatewayUrl, claims, query, variables);
      expect(response.errors).toBeUndefined();
      return Object.values(response.data!)[0] as Record<string, any>;
    };

    it("links another subgraph's person (case-status asks wanted-persons) and follows its owner's change (wanted-persons tells case-status)", async () => {
      const person = await write(stack.gatewayUrl, PERSON_OWNER, ISSUE, { input: NOTICE });
      const opened = await write(stack.gatewayUrl, CASE_OWNER, OPEN, { input: CASE });
      expect(await write(stack.gatewayUrl, CASE_OWNER, LINK, { c: opened.caseNumber, v: opened.version, id: person.id })).toEqual({
        version: 2,
      });
      const subjects = async () => (await ask(stack.gatewayUrl, PARTNER, SUBJECTS, { c: opened.caseNumber })).data?.case?.subjects;
      expect(await subjects()).toEqual({ totalCount: 1, nodes: [{ id: person.id }] });
      await write(stack.gatewayUrl, PERSON_OWNER, AMEND, {
        id: person.id,
        v: person.version,
        input: { releasability: { mode: 'OWNER_ONLY' } },
      });
      // The owner's notification reaches case-status over TLS after commit; a stale snapshot would keep the person listed.
      let seen = await subjects();
      for (const deadline = Date.now() + 5_000; seen?.totalCount !== 0 && Date.now() < deadline; seen = await subjects()) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(seen).toEqual({ totalCount: 0, nodes: [] });
    });

    it('cannot link when case-status calls wanted-persons without SUBGRAPH_CA_FILE: nothing is changed, the client is told to retry', async () => {
      let caseStatus: TestSubgraph | undefined;
      let gateway: Awaited<ReturnType<typeof gatewayWith>> | undefined;
      try {
        // TLS to serve, but Node's CAs for its own calls, which do not know this test's CA.
        caseStatus = await startTestSubgraph(
          (options) => buildCaseStatus({ ...options, subgraphUrl: (name) => stack.subgraphUrls[name] }),
          'pglite',
          'tls_case_status',
          { tls: serverCertificateOf(subgraphConfigSchema(0).parse(TLS_ENV())) },
        );
        gateway = await gatewayWith({ ...stack.subgraphUrls, 'case-status': caseStatus.url }, { SUBGRAPH_CA_FILE: path('ca.crt') });
        const person = await write(gateway.url, PERSON_OWNER, ISSUE, { input: NOTICE });
        const opened = await write(gateway.url, CASE_OWNER, OPEN, { input: CASE });
        const linked = await ask(gateway.url, CASE_OWNER, LINK, { c: opened.caseNumber, v: opened.version, id: person.id });
        expect(linked.errors?.[0]).toMatchObject({
          message: 'wanted-persons did not answer, so nothing was changed; retry later',
          extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
        });
        expect(JSON.stringify(linked)).not.toMatch(CERTIFICATE_DETAIL);
        expect((await ask(gateway.url, CASE_OWNER, SUBJECTS, { c: opened.caseNumber })).data?.case?.subjects).toEqual({
          totalCount: 0,
          nodes: [],
        });
      } finally {
        await gateway?.close();
        await caseStatus?.stop();
      }
    });
  });

  describe('a subgraph process (run-subgraph) configured by TLS_CERT_FILE and TLS_KEY_FILE', () => {
    let subgraph: ServiceProcess | undefined;
    afterAll(() => subgraph?.stop('SIGTERM'));

    it('announces an https:// URL and answers the gateway over TLS', async () => {
      subgraph = await startServiceProcess('subgraphs/wanted-persons/index.ts', TLS_ENV());
      expect(subgraph.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
      const gateway = await gatewayWith({ ...stack.subgraphUrls, 'wanted-persons': subgraph.url }, { SUBGRAPH_CA_FILE: path('ca.crt') });
      try {
        const response = await graphql(gateway.url, PERSON, { id: personId(1) }, await bearer());
        expect(response.errors).toBeUndefined();
        expect(response.data!.wantedPerson.id).toBe(personId(1));
      } finally {
        await gateway.close();
      }
    }, 120_000);

    it.each([
      ['a certificate without its key', { TLS_CERT_FILE: 'server.crt' }, /TLS_KEY_FILE: required with TLS_CERT_FILE/],
      [
        'a key that is not the certificate’s',
        { TLS_CERT_FILE: 'server.crt', TLS_KEY_FILE: 'other-ca.key' },
        /TLS_KEY_FILE: .* is not the private key of/,
      ],
      ['a CA file without a certificate', { SUBGRAPH_CA_FILE: 'not-a-ca.pem' }, /SUBGRAPH_CA_FILE: .* holds no PEM certificate/],
    ])('stops at start-up on %s, naming the variable', async (_, env: Record<string, string>, message) => {
      const files = Object.fromEntries(Object.entries(env).map(([name, file]) => [name, path(file)]));
      const error = await startServiceProcess('subgraphs/wanted-persons/index.ts', files).then(
        async (started) => {
          await started.stop('SIGKILL');
          return undefined;
        },
        (failure: Error) => failure,
      );
      expect(error?.message).toMatch(/exited \(1\) before it was ready/);
      expect(error?.message).toMatch(message);
    });
  });

  it('stops a gateway at start-up on a SUBGRAPH_CA_FILE without a certificate, naming it', async () => {
    await expect(gatewayWith(stack.subgraphUrls, { SUBGRAPH_CA_FILE: path('not-a-ca.pem') })).rejects.toThrow(
      /SUBGRAPH_CA_FILE: .* holds no PEM certificate/,
    );
  });
});
