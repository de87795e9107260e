# One image for the gateway and every subgraph; docker-compose.yml picks the entry point per service.
# The explorer is bundled in a build stage (Vite and GraphiQL are build-time dependencies only).
FROM node:20-bookworm-slim AS explorer
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY gateway/explorer ./gateway/explorer
COPY lib ./lib
COPY schema ./schema
RUN npm run build:explorer

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev
COPY lib ./lib
COPY gateway ./gateway
COPY --from=explorer /app/gateway/explorer/dist ./gateway/explorer/dist
COPY subgraphs ./subgraphs
COPY schema ./schema
# Development keys live here when a demo stack shares them through a volume (see docker-compose.yml).
# Audit checkpoints default to /app/.data/audit; a volume mounted there keeps this owner.
RUN mkdir -p /app/.keys /app/.data/audit && chown node:node /app/.keys /app/.data /app/.data/audit
USER node
CMD ["node", "--import", "tsx", "gateway/index.ts"]
