import type { Caller } from '../../../lib/authz/principal.ts';

/** The release decision that shows partners a record as a reference only; see {@link RowScope.referenceOnly}. */
export const REFERENCE_ONLY = 'REFERENCE_ONLY';

/** The ownership and release columns the row rules read. */
export interface OwnershipColumns {
  owning_agency: string;
  jurisdiction: string;
  release_mode: string;
  release_jurisdictions: readonly string[];
  release_agencies: readonly string[];
  /** Agencies a REFERENCE_ONLY record is released to in full until a time (after a confirmed hit); absent, none. */
  release_grants?: readonly ReleaseGrant[] | null | undefined;
}

/** One agency's release in full of a REFERENCE_ONLY record, until `until` (ISO 8601); it ends by itself. */
export interface ReleaseGrant {
  agency: string;
  until: string;
}

/**
 * The row rules of one caller, as an SQL predicate over the ownership columns every record table
 * carries (owning_agency, jurisdiction, release_mode, release_jurisdictions, release_agencies), and
 * that case-status's link tables carry as a snapshot of the linked record's.
 *
 * A record is visible when:
 * - the caller has a principal: an anonymous caller sees no record;
 * - and either the caller's agency owns it (`principal.agency = owning_agency`): the owner always
 *   sees its records, whatever their release decision;
 * - or both
 *   - its jurisdiction is covered by the principal's grants: it equals a granted code, or it is a
 *     region `XX-…` of a granted country `XX` (a country grant covers its regions; a region grant
 *     covers only that region, not the country-level records);
 *   - and the owner's release decision admits the caller: ALL_GRANTED admits everyone granted;
 *     ONLY admits the caller if its agency code is in release_agencies or its agency's country (the
 *     first two letters of the code) is in release_jurisdictions; EXCEPT admits the caller unless
 *     one of those holds; OWNER_ONLY admits no one but the owner; REFERENCE_ONLY admits everyone
 *     granted, as a reference only (see {@link RowScope.referenceOnly}).
 *
 * A hidden record must behave exactly like a missing one, so repositories put this predicate in the
 * WHERE clause of every statement (searches, lists, keyset pages, counts, links) instead of dropping
 * rows after fetching them. The one exception is cached lookups by key: the cache holds stored rows
 * for every caller, and {@link RowScope.admits} (the same rule in TypeScript) filters them after the
 * read, so a hidden row comes out exactly as absent as a missing one.
 */
export class RowScope {
  private constructor(
    private readonly agency: string | null,
    private readonly grants: readonly string[],
  ) {}

  /** The scope of the caller the gateway vouched for. */
  static for(caller: Caller): RowScope {
    const principal = caller.principal;
    return principal ? new RowScope(principal.agency, [...principal.jurisdictions]) : new RowScope(null, []);
  }

  /**
   * The predicate, over columns prefixed with `alias.` when given. Its values are pushed onto
   * `params`, so it composes with the caller's own `$n` numbering: append it after the parameters
   * already bound, and bind any later ones after it.
   */
  predicate(params: unknown[], alias?: string): string {
    if (this.agency === null) return 'false';
    const column = (name: string) => (alias ? `${alias}.${name}` : name);
    const bind = (value: unknown) => `$${params.push(value)}`;
    const agency = bind(this.agency);
    const agencyCountry = bind(this.agency.slice(0, 2));
    // Countries as their own array: `left(jurisdiction, 2)` then covers the country and its regions.
    const countries = this.countries;
    const named = `(${agency} = any(${column('release_agencies')}) or ${agencyCountry} = any(${column('release_jurisdictions')}))`;
    return `(${column('owning_agency')} = ${agency} or (
      (${column('jurisdiction')} = any(${bind([...this.grants])}::text[]) or left(${column('jurisdiction')}, 2) = any(${bind(countries)}::text[]))
      and (${column('release_mode')} in ('ALL_GRANTED', '${REFERENCE_ONLY}')
        or (${column('release_mode')} = 'ONLY' and ${named})
        or (${column('release_mode')} = 'EXCEPT' and not ${named}))))`;
  }

  /** The same rule as {@link RowScope.predicate}, for a row already read (from the lookup cache). */
  admits(row: OwnershipColumns): boolean {
    if (this.agency === null) return false;
    if (row.owning_agency === this.agency) return true;
    if (!this.covers(row.jurisdiction)) return false;
    const named = row.release_agencies.includes(this.agency) || row.release_jurisdictions.includes(this.agency.slice(0, 2));
    const mode = row.release_mode;
    return mode === 'ALL_GRANTED' || mode === REFERENCE_ONLY || (mode === 'ONLY' && named) || (mode === 'EXCEPT' && !named);
  }

  /**
   * Whether a row the scope admits reaches this caller as a reference only: its owner released it
   * REFERENCE_ONLY, the caller is not that owner, and no live grant releases it to the caller's agency.
   * Such a row matches lookups, searches, lists and links like any other, but only its reference fields
   * are served (authz/release-decisions.ts).
   * Read from the row's own columns for this caller, never stored on the row: the lookup cache shares
   * one row object between the concurrent requests of every caller.
   */
  referenceOnly(row: Pick<OwnershipColumns, 'owning_agency' | 'release_mode' | 'release_grants'>): boolean {
    if (row.release_mode !== REFERENCE_ONLY || row.owning_agency === this.agency) return false;
    // Read at each use, so a grant ends at its time even for a row the lookup cache still holds.
    const now = Date.now();
    return !row.release_grants?.some((grant) => grant.agency === this.agency && Date.parse(grant.until) > now);
  }

  /** Whether the caller's grants cover a jurisdiction: that code, or its country, is granted. */
  covers(jurisdiction: string): boolean {
    return this.grants.includes(jurisdiction) || this.countries.includes(jurisdiction.slice(0, 2));
  }

  private get countries(): string[] {
    return this.grants.filter((code) => /^[A-Z]{2}$/.test(code));
  }
}
