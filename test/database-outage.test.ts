import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway, type BuiltGateway } from '../gateway/server.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { openDb } from '../subgraphs/kit/db/db.ts';
import { personId } from '../subgraphs/kit/seed/seed-plan.ts';
import type { BuiltSubgraph } from '../subgraphs/kit/index.ts';
import { buildServer } from '../subgraphs/wanted-persons/server.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { identityKeys } from './support/identity.ts';
import { type MemoryLog, memoryLog } from './support/memory-log.ts';
import { type Sample, sleep, steadyLoad } from './support/steady-load.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { testConfig } from './support/test-config.ts';
import { bearer } from './support/tokens.ts';

// wanted-persons reaches its database through a relay this test cuts and restores: the database goes
// away and comes back, while the machine's PostgreSQL server (shared with others) keeps running.
const CONNECT_TIMEOUT_MS = 1_000;
let database: TestDatabase;
let proxy: TcpProxy;
let subgraphLog: MemoryLog;
let subgraph: BuiltSubgraph;
let subgraphUrl: string;
let gateway: BuiltGateway;
let gatewayUrl: string;
let gatewayOperationsUrl: string;
beforeAll(async () => {
  database = await createTestDatabase('db_outage');
  proxy = await startTcpProxy(testConfig.TEST_POSTGRES_URL);
  const relayed = new URL(database.url);
  relayed.hostname = '127.0.0.1';
  relayed.port = String(proxy.port);
  subgraphLog = memoryLog();
  const db = await openDb({ url: relayed.toString(), connectTimeoutMs: CONNECT_TIMEOUT_MS, log: subgraphLog.log });
  subgraph = await buildServer({ db, log: subgraphLog.log, seed: 'demo', identityKeys: await identityKeys() });
  subgraphUrl = await subgraph.listen(0, '127.0.0.1');
  // Only wanted-persons is asked for; the others point at a port nothing listens on.
  const nowhere = 'http://127.0.0.1:9/graphql';
  gateway = await buildGateway(
    loadGatewayConfig({ WANTED_PERSONS_URL: subgraphUrl, STOLEN_PROPERTY_URL: nowhere, CASE_STATUS_URL: nowhere, LOG_LEVEL: 'silent' }),
    createLogger('test', 'silent'),
  );
  gatewayUrl = await gateway.listen(0, '127.0.0.1');
  gatewayOperationsUrl = await gateway.operations.listen(0, '127.0.0.1');
}, 120_000);
afterAll(async () => {
  await gateway?.close();
  await subgraph?.close().catch(() => undefined);
  await proxy?.close();
  await database?.drop();
});

const QUERY = 'query Person($id: ID!) { wantedPerson(id: $id) { id status } }';
const full = (sample: Sample) => sample.status === 200 && !sample.body?.errors && sample.body?.data?.wantedPerson?.id === personId(1);
/** While the database is away: HTTP 200, the field null, one clean coded error naming the subgraph. */
const coded = (sample: Sample) =>
  sample.status === 200 &&
  sample.body?.data?.wantedPerson === null &&
  sample.body.errors?.length === 1 &&
  sample.body.errors[0]!.extensions?.code === 'DATABASE_UNAVAILABLE' &&
  sample.body.errors[0]!.extensions?.serviceName === 'wanted-persons';
const status = async (path: string) => (await fetch(new URL(path, subgraphUrl))).status;

describe('the database of a subgraph going away under load', () => {
  it('answers DATABASE_UNAVAILABLE within the connect timeout, never crashes, and answers fully again once the database is back', async () => {
    const requests = [{ kind: 'person', query: QUERY, variables: { id: personId(1) }, headers: await bearer() }];
    // Warm: the plan cached and the pool's connections open, so the load is steady from its first request.
    await steadyLoad(gatewayUrl, requests, 4).stop();
    const load = steadyLoad(gatewayUrl, requests, 4);
    await sleep(1_000);
    const cutAt = load.now();
    proxy.cut();
    await sleep(2_500);
    expect(await status('/health')).toBe(200);
    expect(await status('/ready')).toBe(503);
    const restoredAt = load.now();
    proxy.restore();
    await sleep(4_000);
    await load.stop();

    const { samples } = load;
    const before = samples.filter((sample) => sample.at + sample.ms < cutAt);
    const away = samples.filter((sample) => sample.at > cutAt + 50 && sample.at + sample.ms < restoredAt);
    expect(before.length).toBeGreaterThan(5);
    expect(before.filter((sample) => !full(sample))).toEqual([]);
    expect(away.length).toBeGreaterThan(5);
    expect(away.filter((sample) => !coded(sample))).toEqual([]);
    expect(Math.max(...away.map((sample) => sample.ms))).toBeLessThan(CONNECT_TIMEOUT_MS + 1_000);

    const firstFull = samples.find((sample) => sample.at > restoredAt && full(sample));
    expect(firstFull, 'a full answer once the database is back').toBeDefined();
    expect(firstFull!.at + firstFull!.ms - restoredAt).toBeLessThan(5_000);
    const later = samples.filter((sample) => sample.at > firstFull!.at + firstFull!.ms);
    expect(later.length).toBeGreaterThan(5);
    expect(later.filter((sample) => !full(sample))).toEqual([]);
    expect(await status('/ready')).toBe(200);

    // Operators were told, the client never saw the cause, and the gateway did not blame the subgraph.
    expect(subgraphLog.entries().some((entry) => entry.msg === 'database unavailable')).toBe(true);
    expect(JSON.stringify(away.map((sample) => sample.body))).not.toMatch(/ECONN|terminated|timeout exceeded/i);
    const metrics = await (await fetch(new URL('/metrics', gatewayOperationsUrl))).text();
    expect(metrics).toContain('liaison_gateway_subgraph_breaker_state{subgraph="wanted-persons",state="closed"} 1');
  }, 60_000);
});
