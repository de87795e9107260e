import { runSubgraph } from '../kit/run-subgraph.ts';
import { buildServer } from './server.ts';

await runSubgraph('stolen-property', buildServer);
