import { runSubgraph } from '../kit/server/run-subgraph.ts';
import { buildServer } from './server.ts';

await runSubgraph('stolen-property', buildServer);
