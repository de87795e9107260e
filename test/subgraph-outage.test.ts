import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personId, propertyId } from '../subgraphs/kit/seed/seed-plan.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { type Stack, startStack } from './support/stack.ts';
import { type Sample, sleep, steadyLoad } from './support/steady-load.ts';
import { type ServiceProcess, startServiceProcess } from './support/service-process.ts';
import { bearer } from './support/tokens.ts';

// stolen-property runs as its own process, so it can be killed like a crashed container and started
// again on the same port; the gateway and the other subgraphs run in this process.
const TIMEOUT_MS = 1_000;
let database: TestDatabase;
let subgraph: ServiceProcess;
let stack: Stack;
beforeAll(async () => {
  database = await createTestDatabase('outage_stolen_property');
  subgraph = await startServiceProcess('subgraphs/stolen-property/index.ts', { DATABASE_URL: database.url });
  stack = await startStack('postgres', {
    gatewayEnv: { STOLEN_PROPERTY_URL: subgraph.url, STOLEN_PROPERTY_TIMEOUT_MS: String(TIMEOUT_MS) },
  });
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await subgraph?.stop('SIGKILL');
  await database?.drop();
});

const OTHERS_ONLY = 'query Others($id: ID!) { wantedPerson(id: $id) { id status } }';
const BOTH = 'query Both($id: ID!, $item: ID!) { wantedPerson(id: $id) { id status } propertyItem(id: $item) { id status } }';

const full = (sample: Sample) => sample.status === 200 && !sample.body?.errors && sample.body?.data?.wantedPerson?.id === personId(1);
const fullBoth = (sample: Sample) => full(sample) && sample.body?.data?.propertyItem?.id === propertyId(1);
/** The answer of a request touching the dead subgraph: the rest of the data, and an error naming it. */
const partial = (sample: Sample) =>
  sample.status === 200 &&
  sample.body?.data?.wantedPerson?.id === personId(1) &&
  sample.body.data.propertyItem === null &&
  sample.body.errors?.length === 1 &&
  sample.body.errors[0]!.extensions?.code === 'SUBGRAPH_UNAVAILABLE' &&
  sample.body.errors[0]!.extensions?.subgraph === 'stolen-property' &&
  JSON.stringify(sample.body.errors[0]!.path) === '["propertyItem"]';

describe('a subgraph killed under steady load', () => {
  it('leaves the others answering, answers requests touching it with partial data within its timeout, and gives full answers again within 5 s of its restart', async () => {
    const headers = await bearer();
    const requests = [
      { kind: 'others', query: OTHERS_ONLY, variables: { id: personId(1) }, headers },
      { kind: 'both', query: BOTH, variables: { id: personId(1), item: propertyId(1) }, headers },
    ];
    // Warm: plans cached and connections open, so the load is steady from its first request.
    await steadyLoad(stack.gatewayUrl, requests, 2).stop();
    const load = steadyLoad(stack.gatewayUrl, requests, 4);
    await sleep(1_500);
    const killedAt = load.now();
    expect(await subgraph.stop('SIGKILL')).toBeNull();
    await sleep(3_000);
    const restartAt = load.now();
    subgraph = await startServiceProcess('subgraphs/stolen-property/index.ts', { DATABASE_URL: database.url }, subgraph.port);
    const readyAt = load.now();
    await sleep(6_000);
    await load.stop();

    const { samples } = load;
    const before = samples.filter((sample) => sample.at + sample.ms < killedAt);
    const down = samples.filter((sample) => sample.at > killedAt && sample.at + sample.ms < restartAt);
    const after = samples.filter((sample) => sample.at > readyAt);
    expect(before.length).toBeGreaterThan(5);
    expect(before.filter((sample) => !(sample.kind === 'others' ? full(sample) : fullBoth(sample)))).toEqual([]);

    // Down: every request answered, none beyond the subgraph's timeout; those touching it, partially.
    expect(down.filter((sample) => sample.kind === 'others').length).toBeGreaterThan(10);
    expect(down.filter((sample) => sample.kind === 'others' && !full(sample))).toEqual([]);
    expect(down.filter((sample) => sample.kind === 'both').length).toBeGreaterThan(10);
    expect(down.filter((sample) => sample.kind === 'both' && !partial(sample))).toEqual([]);
    expect(Math.max(...down.map((sample) => sample.ms))).toBeLessThan(TIMEOUT_MS + 1_000);

    // Back: the first full answer comes within 5 s of the restart being ready, and every one after it is full.
    const firstFull = after.find((sample) => sample.kind === 'both' && fullBoth(sample));
    expect(firstFull, 'a full answer after the restart').toBeDefined();
    expect(firstFull!.at + firstFull!.ms - readyAt).toBeLessThan(5_000);
    const later = after.filter((sample) => sample.at > firstFull!.at + firstFull!.ms);
    expect(later.length).toBeGreaterThan(10);
    expect(later.filter((sample) => !(sample.kind === 'others' ? full(sample) : fullBoth(sample)))).toEqual([]);
    expect(after.filter((sample) => sample.kind === 'others' && !full(sample))).toEqual([]);
  }, 120_000);
});
