/**
 * A token subject: 1 to 200 characters of letters, digits and `. _ ~ : @ + | / = -`, enough for the
 * client ids, UUIDs, e-mail addresses and `idp|id` forms issuers use, and nothing that could hide in an
 * audit entry (spaces, controls, look-alike Unicode).
 */
export const SUBJECT = /^[A-Za-z0-9._~:@+|/=-]{1,200}$/;

/** The partner behind a request, as established from its verified token. */
export interface Principal {
  /** Token subject: the partner system or user. */
  subject: string;
  /** 9-character code of the partner's agency. */
  agency: string;
  scopes: ReadonlySet<string>;
  /** ISO 3166 codes the partner is granted (a country covers its regions). */
  jurisdictions: readonly string[];
}

/** Purpose codes a request may declare (recorded with every disclosure). */
export const PURPOSES = ['INVESTIGATION', 'BORDER_CHECK', 'COURT_PROCEEDINGS', 'AUDIT', 'OPERATIONS'] as const;
export type PurposeCode = (typeof PURPOSES)[number];

/** Why the partner is asking: a purpose code and a free-text reference such as a case number. */
export interface Purpose {
  code: PurposeCode;
  reference: string | null;
}

/** Who is asking and why; `principal` is null for a request without a token. */
export interface Caller {
  principal: Principal | null;
  purpose: Purpose | null;
}
