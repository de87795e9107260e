import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode, internalError } from '../../../lib/errors/index.ts';
import { isDatabaseUnavailable } from '../db/database-unavailable.ts';
import type { AuditLog } from './audit-log.ts';
import type { RequestAudit } from './request-audit.ts';

/**
 * Appends each response's disclosures to the audit trail before the response leaves. If the entry
 * cannot be committed the response is withheld: a disclosure that is not recorded does not happen.
 */
export function auditPlugin<C>(auditLog: AuditLog, auditOf: (context: C) => RequestAudit): ApolloServerPlugin<C & object> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const drafts = auditOf(contextValue).disclosureDrafts();
          if (drafts.length === 0 || response.body.kind !== 'single') return;
          try {
            await auditLog.record(drafts);
          } catch (error) {
            // The database being away is retryable and says so; anything else is ours to investigate
            // (AuditLog has logged it in full) and reaches the client masked, with its request id.
            const withheld = isDatabaseUnavailable(error)
              ? {
                  message: 'The audit trail is unavailable, so nothing was disclosed; retry later',
                  extensions: { code: ErrorCode.DatabaseUnavailable },
                }
              : internalError();
            response.body.singleResult = { data: null, errors: [withheld] };
          }
        },
      };
    },
  };
}
