/** A response that is not what the request should have returned: counted as an error, as k6's checks do. */
export class WrongAnswer extends Error {
  override readonly name = 'WrongAnswer';
}

/**
 * Reads a gateway's HTTP answer and returns its `data`: anything but a 200 with a JSON body, `data`
 * present and no `errors` is a {@link WrongAnswer}.
 */
export function dataOf(status: number, text: string): unknown {
  if (status !== 200) throw new WrongAnswer(`HTTP ${status}: ${text.slice(0, 200)}`);
  let body: { data?: unknown; errors?: unknown[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new WrongAnswer(`not JSON: ${text.slice(0, 200)}`);
  }
  if (body.errors?.length) throw new WrongAnswer(`errors: ${JSON.stringify(body.errors).slice(0, 300)}`);
  if (body.data === undefined || body.data === null) throw new WrongAnswer('no data');
  return body.data;
}

/**
 * Throws a {@link WrongAnswer} naming the first path where `actual` differs from `expected`: same
 * values, same array order, same object keys (in any order, since gateways build objects differently).
 */
export function assertSameData(actual: unknown, expected: unknown, path = 'data'): void {
  if (actual === expected) return;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new WrongAnswer(`${path}: expected a list, got ${describe(actual)}`);
    if (actual.length !== expected.length) throw new WrongAnswer(`${path}: expected ${expected.length} items, got ${actual.length}`);
    for (let index = 0; index < expected.length; index += 1) assertSameData(actual[index], expected[index], `${path}[${index}]`);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      throw new WrongAnswer(`${path}: expected an object, got ${describe(actual)}`);
    const expectedKeys = Object.keys(expected);
    const actualKeys = Object.keys(actual);
    if (actualKeys.length !== expectedKeys.length)
      throw new WrongAnswer(`${path}: expected keys ${expectedKeys.join(',')}, got ${actualKeys.join(',')}`);
    for (const key of expectedKeys) {
      if (!(key in actual)) throw new WrongAnswer(`${path}: missing ${key}`);
      assertSameData((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
    }
    return;
  }
  throw new WrongAnswer(`${path}: expected ${describe(expected)}, got ${describe(actual)}`);
}

const describe = (value: unknown): string => (value === undefined ? 'nothing' : (JSON.stringify(value)?.slice(0, 80) ?? String(value)));
