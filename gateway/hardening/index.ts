import type { FeatureFactory } from '../feature.ts';
import { buildProtections } from './protections.ts';

/** Query limits, cost budgets per tier, trusted documents and the safelist, rate limits, suggestions off. */
export const protections: FeatureFactory = {
  name: 'protections',
  async build({ config, log, gateway, callerOf }) {
    const built = await buildProtections(config, log, gateway, callerOf);
    return {
      apolloOptions: built.apollo,
      plugins: [built.plugin],
      checks: [built.checkCost],
      formatError: built.formatError,
      admit: built.admit,
      routes: { '/trusted-documents': built.trustedDocuments },
      close: built.close,
    };
  },
};
