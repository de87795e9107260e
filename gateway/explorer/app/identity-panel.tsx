import { PURPOSES, sessionHeaders, useSession } from './session.ts';
import { ProfileAccess } from './profile-access.tsx';

const PASTED = '';

/** Who to ask as (a demo profile or a pasted token) and why (the purpose headers). */
export function IdentityPanel() {
  const { session, setSession, profiles } = useSession();
  const chooseProfile = (name: string) => {
    const profile = profiles?.find((candidate) => candidate.name === name);
    setSession({ profile, token: profile?.token ?? '' });
  };
  const headers = sessionHeaders(session);
  return (
    <div className="liaison-panel">
      <section>
        <h3>Identity</h3>
        {profiles ? (
          <>
            <label htmlFor="liaison-profile">Demo profile</label>
            <select id="liaison-profile" value={session.profile?.name ?? PASTED} onChange={(event) => chooseProfile(event.target.value)}>
              <option value={PASTED}>(pasted token)</option>
              {profiles.map((profile) => (
                <option key={profile.name} value={profile.name}>
                  {profile.name}
                </option>
              ))}
            </select>
          </>
        ) : (
          <p className="note">Demo profiles are offered by a development gateway only; paste a token.</p>
        )}
        <label htmlFor="liaison-token">Bearer token</label>
        <textarea
          id="liaison-token"
          spellCheck={false}
          placeholder="eyJ… (npm run token -- --help)"
          value={session.token}
          onChange={(event) => setSession({ token: event.target.value, profile: undefined })}
        />
        {session.profile && <ProfileAccess profile={session.profile} />}
      </section>
      <section>
        <h3>Purpose</h3>
        <label htmlFor="liaison-purpose">liaison-purpose</label>
        <select id="liaison-purpose" value={session.purpose} onChange={(event) => setSession({ purpose: event.target.value })}>
          <option value="">(none declared)</option>
          {PURPOSES.map((purpose) => (
            <option key={purpose}>{purpose}</option>
          ))}
        </select>
        <label htmlFor="liaison-purpose-reference">liaison-purpose-reference</label>
        <input
          id="liaison-purpose-reference"
          placeholder="e.g. a case number"
          value={session.purposeReference}
          onChange={(event) => setSession({ purposeReference: event.target.value })}
        />
      </section>
      <section>
        <h3>Sent with every operation</h3>
        <div className="liaison-headers">
          {Object.keys(headers).length === 0
            ? 'no headers: anonymous, sees no record'
            : Object.entries(headers).map(([name, value]) => (
                <div key={name}>{`${name}: ${name === 'authorization' ? `${value.slice(0, 24)}…` : value}`}</div>
              ))}
        </div>
        <p className="note">Headers typed in GraphiQL's Headers tab are added on top.</p>
      </section>
    </div>
  );
}
