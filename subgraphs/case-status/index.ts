import { runSubgraph } from '../kit/run-subgraph.ts';
import { buildServer } from './server.ts';

await runSubgraph('case-status', buildServer);
