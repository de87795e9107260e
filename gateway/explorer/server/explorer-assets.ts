import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { ROOT } from '../../../lib/config/supergraph-config.ts';
import { devProfiles } from './explorer-profiles.ts';
import { landingPage } from './landing-page.ts';

/** Where `npm run build:explorer` writes the bundled explorer (git-ignored). */
export const EXPLORER_DIST = resolve(ROOT, 'gateway/explorer/dist');

/** How the gateway serves the explorer. */
export interface ExplorerOptions {
  /** Serve the explorer at `/` and its files under `/explorer/`; when false both answer 404. */
  enabled: boolean;
  /** Offer demo profiles with development tokens at `/explorer/dev-profiles`; never true in production. */
  devProfiles: boolean;
  /** The composed supergraph's file, read to tell each demo profile which fields it may read. */
  supergraphPath: string;
  /** The GraphQL endpoint the landing page names when the explorer is not built. */
  graphqlPath: string;
  /** The built explorer; {@link EXPLORER_DIST} unless a test points elsewhere. */
  distDir?: string;
}

// Only what Vite emits for the explorer; anything else is not ours to serve.
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

// The page may talk to this gateway only: a closed network has nothing else, and a token must not leak.
// GraphiQL and CodeMirror set inline styles, hence 'unsafe-inline' for styles (never for scripts).
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

type Handler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Returns a handler for `GET /`, `/explorer/*` and `/explorer/dev-profiles` that answers `true` when
 * it handled the request. Without a build it serves the plain landing page, saying how to build one.
 */
export function explorerHandler(options: ExplorerOptions): Handler {
  const dist = options.distDir ?? EXPLORER_DIST;
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== '/' && !path.startsWith('/explorer/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (!options.enabled) {
      notFound(res);
    } else if (path === '/explorer/dev-profiles') {
      if (options.devProfiles) void sendProfiles(options.supergraphPath, res);
      else notFound(res);
    } else if (path === '/' && !existsSync(resolve(dist, 'index.html'))) {
      const note = 'The explorer is not built here: run <code>npm run build:explorer</code> (<code>npm start</code> does it) and reload.';
      send(res, 200, { 'content-type': CONTENT_TYPES['.html']!, 'cache-control': 'no-cache' }, landingPage(options.graphqlPath, note));
    } else if (path === '/') {
      serveFile(res, req.method, resolve(dist, 'index.html'), 'no-cache');
    } else {
      // Vite puts a content hash in every name under assets/, so those never change and may be kept.
      const immutable = path.startsWith('/explorer/assets/');
      serveFile(
        res,
        req.method,
        safeResolve(dist, path.slice('/explorer/'.length)),
        immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    }
    return true;
  };
}

/** The file inside `root` that a URL path names, or undefined for anything escaping it or malformed. */
function safeResolve(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((part) => part === '..' || part.startsWith('.')))
    return undefined;
  const file = resolve(root, decoded);
  return file.startsWith(root + sep) ? file : undefined;
}

function serveFile(res: ServerResponse, method: string | undefined, file: string | undefined, cacheControl: string): void {
  const type = file && CONTENT_TYPES[extname(file)];
  const stat = file && type ? statSync(file, { throwIfNoEntry: false }) : undefined;
  if (!file || !type || !stat?.isFile()) return notFound(res);
  const headers: Record<string, string> = {
    'content-type': type,
    'content-length': String(stat.size),
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
  };
  if (type.startsWith('text/html')) headers['content-security-policy'] = CSP;
  res.writeHead(200, headers);
  if (method === 'HEAD') return void res.end();
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

async function sendProfiles(supergraphPath: string, res: ServerResponse): Promise<void> {
  try {
    const body = JSON.stringify(await devProfiles(readFileSync(supergraphPath, 'utf8')));
    send(res, 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }, body);
  } catch {
    send(res, 500, { 'content-type': 'application/json' }, JSON.stringify({ error: 'could not mint development tokens' }));
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'x-content-type-options': 'nosniff' }).end(body);
}

function notFound(res: ServerResponse): void {
  send(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ error: 'not found' }));
}
