import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite');
});
afterAll(() => stack?.close());

const get = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
};

describe('/health and /ready', () => {
  it('/health stays 200 while the process is up; /ready is 200 while every subgraph answers, and 503 naming the one that stopped', async () => {
    const origin = new URL(stack.gatewayUrl).origin;
    expect(await get(`${origin}/health`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(`${origin}/ready`)).toEqual({
      status: 200,
      body: { status: 'ready', supergraph: 'loaded', subgraphs: { 'wanted-persons': 'up', 'stolen-property': 'up', 'case-status': 'up' } },
    });
    for (const url of Object.values(stack.subgraphUrls)) {
      expect(await get(url.replace('/graphql', '/health'))).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await get(url.replace('/graphql', '/ready'))).toEqual({ status: 200, body: { status: 'ready' } });
    }

    await stack.subgraphs['stolen-property']!.close();
    expect(await get(`${origin}/health`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(`${origin}/ready`)).toEqual({
      status: 503,
      body: {
        status: 'unready',
        supergraph: 'loaded',
        subgraphs: { 'wanted-persons': 'up', 'stolen-property': 'down', 'case-status': 'up' },
      },
    });
  });
});
