import type { SubscriptionRow } from './subscription-row.ts';

/** A Markdown table of the scenario's rows, to paste into bench/README.md as printed. */
export function subscriptionTable(rows: SubscriptionRow[]): string {
  const header = [
    'scenario',
    'subscribers',
    'writes',
    'p50 ms',
    'p99 ms',
    'max ms',
    'events/s',
    'RSS MB (baseline → N)',
    'peak RSS MB',
    'KB/subscriber',
    'lost',
    'duplicated',
    'errors',
  ];
  const lines = rows.map((row) => [
    row.scenario,
    row.subscribers === row.requestedSubscribers ? String(row.subscribers) : `${row.subscribers} of ${row.requestedSubscribers}`,
    `${row.writes} at ${row.writesPerSecond}/s`,
    row.p50.toFixed(0),
    row.p99.toFixed(0),
    row.max.toFixed(0),
    Math.round(row.eventsPerSecond).toLocaleString('en-US'),
    `${row.baselineRssMb} → ${row.subscribedRssMb}`,
    String(row.peakRssMb),
    // Negative when a collection between the two readings freed more than the subscribers took.
    row.kbPerSubscriber >= 0 ? row.kbPerSubscriber.toFixed(1) : 'n/a',
    `${row.lost} (max ${row.maxLostPerSubscriber}/subscriber)`,
    `${row.duplicated} (max ${row.maxDuplicatedPerSubscriber}/subscriber)`,
    String(row.errors),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...lines.map(format)].join('\n');
}
