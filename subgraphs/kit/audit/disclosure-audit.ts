import type { KitContext, SubgraphFeatureFactory } from '../server/contract.ts';
import { AuditLog } from './audit-log.ts';
import { auditPlugin } from './audit-plugin.ts';
import { trackDisclosures } from './track-disclosures.ts';

/**
 * Every field served of an audited type is a disclosure, appended to the owner's trail before the
 * response leaves. Left out (only the audit-cost benchmark does), writes are still audited.
 */
export const disclosureAudit: SubgraphFeatureFactory = {
  name: 'disclosure-audit',
  build({ db, log, auditedTypes, auditKey }) {
    const auditLog = new AuditLog(db, log, auditKey);
    return {
      transformSchema: (schema) => trackDisclosures(schema, auditedTypes, (context) => (context as KitContext).audit),
      plugins: [auditPlugin(auditLog, (context: KitContext) => context.audit)],
      close: () => auditLog.drain(),
    };
  },
};
