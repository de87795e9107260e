import { runSubgraph } from '../kit/server/run-subgraph.ts';
import { buildServer } from './server.ts';

await runSubgraph('case-status', buildServer);
