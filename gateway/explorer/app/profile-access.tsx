import type { DevProfile } from './session.ts';

const rule = (requires: string[][]) => requires.map((all) => all.join(' + ')).join(' or ');

/** What a demo profile holds and, per scope-protected type and field, whether it may read it. */
export function ProfileAccess({ profile }: { profile: DevProfile }) {
  return (
    <div>
      <p className="note">{profile.description}</p>
      {profile.agency && (
        <p className="note">
          Agency <code>{profile.agency}</code>, jurisdictions <code>{profile.jurisdictions.join(', ')}</code>
        </p>
      )}
      <label>Scopes</label>
      {profile.scopes.length === 0 ? (
        <p className="note">none</p>
      ) : (
        <ul>
          {profile.scopes.map(({ scope, meaning }) => (
            <li key={scope}>
              <code>{scope}</code>: {meaning}
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>
          Readable fields ({profile.access.filter((field) => field.allowed).length} of {profile.access.length} protected)
        </summary>
        <table className="liaison-access">
          <tbody>
            {profile.access.map((field) => (
              <tr
                key={field.coordinate}
                title={`requires ${rule(field.requires)}${field.policies.length ? ` and policy ${rule(field.policies)}` : ''}`}
              >
                <td className={field.allowed ? 'allowed' : 'denied'}>{field.allowed ? 'allowed' : 'denied'}</td>
                <td>
                  <code>{field.coordinate}</code>
                </td>
                <td>{rule(field.requires)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
