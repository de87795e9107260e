import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `npm run build:explorer`: bundles GraphiQL and the Liaison panels into dist/, which the gateway serves
// itself (gateway/explorer/server/explorer-assets.ts), so the explorer works on a closed network.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // The gateway serves index.html at `/` and everything else under `/explorer/`.
  base: '/explorer/',
  // No public/ folder: everything the page needs is imported and therefore hashed.
  publicDir: false,
  logLevel: 'warn',
  build: {
    // Beside the app, not in it: the gateway's server side serves gateway/explorer/dist.
    outDir: fileURLToPath(new URL('../dist', import.meta.url)),
    emptyOutDir: true,
    // GraphiQL, CodeMirror and React are one large chunk by nature; a warning about it says nothing new.
    chunkSizeWarningLimit: 4_000,
    // Inline nothing as data: URLs beyond what GraphiQL's CSS already does; files are served with long caching.
    assetsInlineLimit: 0,
    rolldownOptions: {
      // React libraries mark themselves "use client" for server components; meaningless in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
