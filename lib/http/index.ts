export { apolloOffline } from './apollo-offline.ts';
export { graphqlHttpHandler, HttpError, readBody } from './graphql-http-handler.ts';
export { type Fallback, httpShell, type HttpShell, type HttpShellOptions, type Route } from './http-shell.ts';
export { drainer } from './http-drain.ts';
