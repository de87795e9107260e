/**
 * Marks statements a subgraph runs on its own clock, for no request: the notification relay's polls,
 * the record-event feed's reads, retention. Tests that count what a request costs leave them out.
 */
export const BACKGROUND_SQL = '/* liaison: background */';
