import { describe, expect, it } from 'vitest';
import { type ChartRow, concurrencyChart } from './concurrency-chart.ts';

const rows: ChartRow[] = ['Liaison', 'plain @apollo/gateway', 'subgraphs directly'].flatMap((variant, index) =>
  [1, 20, 50, 200].map((concurrency) => ({
    variant,
    concurrency,
    requestsPerSecond: 100 * (index + 1) + concurrency,
    p99: concurrency * 2,
  })),
);

/** Every element opened is closed, in order: enough structure to tell a viewer will parse it. */
function assertWellFormed(svg: string) {
  const open: string[] = [];
  for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (closing) expect(open.pop()).toBe(name);
    else open.push(name!);
  }
  expect(open).toEqual([]);
}

describe('concurrency chart', () => {
  it('draws one line per variant in each panel, with labelled axes and a legend', () => {
    const svg = concurrencyChart(rows);
    assertWellFormed(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2 * 3);
    for (const label of ['Throughput', 'p99 latency', 'req/s', 'p99 ms', 'connections (log scale)', 'plain @apollo/gateway'])
      expect(svg).toContain(label);
    expect(svg).not.toContain('NaN');
    expect(svg).not.toContain('Infinity');
  });

  it('stays finite with one level, zero figures and a name that needs escaping', () => {
    const svg = concurrencyChart([{ variant: 'Hive <Rust> & co', concurrency: 1, requestsPerSecond: 0, p99: 0 }]);
    assertWellFormed(svg);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('Hive &lt;Rust&gt; &amp; co');
    expect(svg).not.toContain('NaN');
  });
});
