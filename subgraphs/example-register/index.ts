import { runSubgraph } from '../kit/index.ts';
import { buildServer } from './server.ts';

await runSubgraph('example-register', buildServer);
