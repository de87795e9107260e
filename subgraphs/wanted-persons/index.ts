import { runSubgraph } from '../kit/server/run-subgraph.ts';
import { buildServer } from './server.ts';

await runSubgraph('wanted-persons', buildServer);
