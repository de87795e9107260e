import type { SubgraphFeatureFactory } from '../server/contract.ts';
import { refuseUnstorableArguments } from './storable-arguments.ts';

/** Text no database can store (NUL, lone surrogates) is BAD_USER_INPUT before any resolver runs. */
export const storableText: SubgraphFeatureFactory = {
  name: 'storable-text',
  build: () => ({ transformSchema: refuseUnstorableArguments }),
};
