export { explorerHandler } from './explorer-assets.ts';
