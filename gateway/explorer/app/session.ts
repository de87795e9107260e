import { createContext, useContext } from 'react';

/** A demo profile as the gateway's `GET /explorer/dev-profiles` returns it (gateway/explorer/server/explorer-profiles.ts). */
export interface DevProfile {
  name: string;
  description: string;
  agency: string;
  jurisdictions: string[];
  scopes: { scope: string; meaning: string }[];
  token: string | null;
  access: { coordinate: string; requires: string[][]; policies: string[][]; allowed: boolean }[];
}

/** Who the explorer asks as, and why: sent with every operation. */
export interface Session {
  /** Bearer token, or empty for anonymous. */
  token: string;
  /** The demo profile the token came from, if it came from one. */
  profile: DevProfile | undefined;
  /** `liaison-purpose` header; empty sends none. */
  purpose: string;
  /** `liaison-purpose-reference` header; empty sends none. */
  purposeReference: string;
}

/** The purposes the gateway records (README, "Identity and field rules"). */
export const PURPOSES = ['INVESTIGATION', 'BORDER_CHECK', 'COURT_PROCEEDINGS', 'AUDIT', 'OPERATIONS'] as const;

export const EMPTY_SESSION: Session = { token: '', profile: undefined, purpose: '', purposeReference: '' };

/** The headers a session adds to each request. */
export function sessionHeaders(session: Session): Record<string, string> {
  const headers: Record<string, string> = {};
  if (session.token.trim()) headers.authorization = `Bearer ${session.token.trim()}`;
  if (session.purpose) headers['liaison-purpose'] = session.purpose;
  if (session.purposeReference.trim()) headers['liaison-purpose-reference'] = session.purposeReference.trim();
  return headers;
}

interface SessionState {
  session: Session;
  setSession: (update: Partial<Session>) => void;
  /** Demo profiles, or null when the gateway offers none (production, or configured keys). */
  profiles: DevProfile[] | null;
}

export const SessionContext = createContext<SessionState | null>(null);

/** The session, inside the explorer's panels. */
export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionContext');
  return state;
}
