import { auditCheckpoints } from '../audit/audit-checkpoints.ts';
import { disclosureAudit } from '../audit/disclosure-audit.ts';
import { fieldRuleEnforcement } from '../authz/field-rule-enforcement.ts';
import { recordEvents } from '../events/record-events.ts';
import { storableText } from '../input/storable-text.ts';
import { ownershipNotifications } from '../links/ownership-notifications.ts';
import { opaqueCursors } from '../rows/opaque-cursors.ts';
import type { SubgraphFeatureFactory } from './contract.ts';

/**
 * The concerns every subgraph is built with. Schema transforms apply in this order, so each wraps the
 * one before: disclosures are recorded only for fields the rules let through, and unstorable text is
 * refused before either runs. A partner's cursor is opened after both checks and before the disclosure
 * audit: the text check passes every sealed cursor (base64url) and refuses unstorable text under its own
 * message first, a field the rules refuse never opens one, and a cursor that does not open ends the field
 * before it counts as a disclosure. Sealing `endCursor` is order-free (no rule or audit wraps PageInfo).
 * Features close in this order too: the audit checkpoints come last, so the final checkpoint anchors what
 * the disclosure audit drained. Record events come first: their refusal of subscription fields is the
 * innermost resolver, which every other concern wraps. The notification relay stops before the final
 * checkpoint, and its pass in flight records its outcome before the database closes. The server itself
 * (identity, context, writes, cache, endpoints) is not a feature.
 */
export const SUBGRAPH_FEATURES: readonly SubgraphFeatureFactory[] = [
  recordEvents,
  disclosureAudit,
  opaqueCursors,
  fieldRuleEnforcement,
  storableText,
  ownershipNotifications,
  auditCheckpoints,
];
