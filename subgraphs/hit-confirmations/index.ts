import { runSubgraph } from '../kit/index.ts';
import { buildServer } from './server.ts';

await runSubgraph('hit-confirmations', buildServer);
