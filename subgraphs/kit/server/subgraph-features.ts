import { disclosureAudit } from '../audit/disclosure-audit.ts';
import { fieldRuleEnforcement } from '../authz/field-rule-enforcement.ts';
import { storableText } from '../input/storable-text.ts';
import type { SubgraphFeatureFactory } from './contract.ts';

/**
 * The concerns every subgraph is built with. Schema transforms apply in this order, so each wraps the
 * one before: disclosures are recorded only for fields the rules let through, and unstorable text is
 * refused before either runs. The server itself (identity, context, writes, cache, endpoints) is not a feature.
 */
export const SUBGRAPH_FEATURES: readonly SubgraphFeatureFactory[] = [disclosureAudit, fieldRuleEnforcement, storableText];
