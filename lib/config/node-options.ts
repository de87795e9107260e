/**
 * The V8 option every subgraph process runs with: NODE_OPTIONS in docker-compose.yml and the
 * Kubernetes manifests, the fork's execArgv under `npm start` and in the benchmark. Young-generation
 * semi-spaces of 32 MB instead of V8's 16 MB: garbage collection was a quarter of case-status's CPU on
 * the benchmark's nested page, and with it the subgraphs spent about a quarter less CPU per page
 * (bench/README.md). It costs up to about 50 MB more memory per subgraph process; the gateway keeps
 * V8's default, since its memory has a budget and its allocation rate is lower.
 */
export const SUBGRAPH_NODE_OPTIONS = '--max-semi-space-size=32';
