# One image for the gateway and every subgraph, running the compiled build (`npm run build`) on plain node.
# The command picks the service: node dist/gateway/index.js (the default), node dist/subgraphs/<name>/index.js,
# or the operational script node dist/scripts/audit-verify.js (docs/operations.md).
# The tag matches .nvmrc: the Node the suite runs on.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY lib ./lib
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY schema ./schema
COPY scripts ./scripts
# TypeScript to dist/, the runtime files beside it, and the explorer bundled into dist/gateway/explorer/dist.
RUN npm run build

FROM node:20.20.2-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# The compiled code's root is /app/dist: development keys live in its .keys/ when a demo stack shares them
# through a volume (see docker-compose.yml); audit checkpoints default to its .data/audit/, where a volume
# mounted keeps this owner. The code itself stays root's, read-only to the service.
RUN mkdir -p dist/.keys dist/.data/audit && chown node:node dist/.keys dist/.data dist/.data/audit
USER node
# The gateway's liveness, on its operational port; a subgraph's service replaces it with its own PORT's
# /ready (docker-compose.yml does).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.OPS_PORT || 9464) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/gateway/index.js"]
