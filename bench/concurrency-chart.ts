/** The figures one chart line needs: a variant's throughput and p99 at one concurrency level. */
export interface ChartRow {
  variant: string;
  concurrency: number;
  requestsPerSecond: number;
  p99: number;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const PANEL = { width: 300, height: 180, left: 64, top: 36, gap: 96 };
const WIDTH = PANEL.left + 2 * PANEL.width + PANEL.gap + 24;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const round = (value: number) => Number(value.toFixed(1));

/** A y-axis top a little above `max` on a 1-1.5-2-3-5 step, so the ticks (top and half) are round numbers. */
function niceTop(max: number): number {
  if (!(max > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return [1, 1.5, 2, 3, 5, 10].map((step) => step * magnitude).find((top) => top >= max)!;
}

/** One panel: a metric against concurrency on a log x axis, one polyline per variant. */
function panel(rows: ChartRow[], variants: string[], x0: number, title: string, unit: string, value: (row: ChartRow) => number): string {
  const levels = [...new Set(rows.map((row) => row.concurrency))].sort((a, b) => a - b);
  // The axis spans 1..200 whatever was measured, so charts of different runs line up.
  const high = Math.log(Math.max(200, ...levels));
  const top = niceTop(Math.max(0, ...rows.map(value).filter(Number.isFinite)));
  const x = (level: number) => round(x0 + (Math.log(Math.max(1, level)) / high) * PANEL.width);
  const y = (v: number) => round(PANEL.top + PANEL.height - ((Number.isFinite(v) ? v : 0) / top) * PANEL.height);
  const bottom = PANEL.top + PANEL.height;
  const parts = [
    `<text x="${x0 + PANEL.width / 2}" y="${PANEL.top - 14}" text-anchor="middle" font-weight="bold">${escape(title)}</text>`,
    `<line x1="${x0}" y1="${bottom}" x2="${x0 + PANEL.width}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${x0}" y1="${PANEL.top}" x2="${x0}" y2="${bottom}" stroke="#333"/>`,
  ];
  for (const level of levels)
    parts.push(
      `<line x1="${x(level)}" y1="${bottom}" x2="${x(level)}" y2="${bottom + 4}" stroke="#333"/>`,
      `<text x="${x(level)}" y="${bottom + 16}" text-anchor="middle">${level}</text>`,
    );
  for (const tick of [0, top / 2, top])
    parts.push(
      `<line x1="${x0}" y1="${y(tick)}" x2="${x0 + PANEL.width}" y2="${y(tick)}" stroke="#ddd"/>`,
      `<text x="${x0 - 6}" y="${y(tick) + 4}" text-anchor="end">${tick.toLocaleString('en-US')}</text>`,
    );
  parts.push(
    `<text x="${x0 + PANEL.width / 2}" y="${bottom + 34}" text-anchor="middle">connections (log scale)</text>`,
    `<text transform="translate(${x0 - 48} ${PANEL.top + PANEL.height / 2}) rotate(-90)" text-anchor="middle">${escape(unit)}</text>`,
  );
  variants.forEach((variant, index) => {
    const points = rows
      .filter((row) => row.variant === variant)
      .sort((a, b) => a.concurrency - b.concurrency)
      .map((row) => `${x(row.concurrency)},${y(value(row))}`)
      .join(' ');
    const colour = COLOURS[index % COLOURS.length]!;
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"><title>${escape(variant)}</title></polyline>`);
  });
  return parts.join('\n');
}

/**
 * The concurrency sweep as a self-contained SVG: throughput and p99 latency against the number of
 * connections, side by side, one line per variant, with a legend below. Hand-written to keep the
 * benchmark free of charting dependencies.
 */
export function concurrencyChart(rows: ChartRow[]): string {
  const variants = [...new Set(rows.map((row) => row.variant))];
  const legendTop = PANEL.top + PANEL.height + 56;
  const height = legendTop + 20 * Math.ceil(variants.length / 3) + 8;
  const legend = variants.map((variant, index) => {
    const x = PANEL.left + (index % 3) * 230;
    const y = legendTop + 20 * Math.floor(index / 3);
    const colour = COLOURS[index % COLOURS.length]!;
    return `<line x1="${x}" y1="${y}" x2="${x + 24}" y2="${y}" stroke="${colour}" stroke-width="2"/><text x="${x + 30}" y="${y + 4}">${escape(variant)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    panel(rows, variants, PANEL.left, 'Throughput', 'req/s', (row) => row.requestsPerSecond),
    panel(rows, variants, PANEL.left + PANEL.width + PANEL.gap, 'p99 latency', 'p99 ms', (row) => row.p99),
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
