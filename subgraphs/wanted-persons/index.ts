import { runSubgraph } from '../kit/index.ts';
import { buildServer } from './server.ts';

await runSubgraph('wanted-persons', buildServer);
