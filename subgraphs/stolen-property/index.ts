import { runSubgraph } from '../kit/index.ts';
import { buildServer } from './server.ts';

await runSubgraph('stolen-property', buildServer);
