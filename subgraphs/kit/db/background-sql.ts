/**
 * Marks statements a subgraph runs on its own clock, for no request: the notification relay's polls,
 * the record-event feed's reads, retention. Tests that count what a request costs leave them out.
 */
export const BACKGROUND_SQL = '/* liaison: background */';

/**
 * Marks the audit writer's statements on tables other than its own (the hits it publishes in the
 * record-event outbox): a response's audit costs a constant few statements, counted apart by tests.
 */
export const AUDIT_SQL = '/* liaison: audit */';
