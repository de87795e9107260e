import { HIT_CONFIRMATIONS_SUBGRAPH, readSupergraphConfig, type SubgraphEntry } from '../../lib/config/supergraph-config.ts';
import type { OwnedKind } from '../kit/index.ts';

/** A kind of record a hit can be on: owned by another subgraph, which says whether the caller sees it. */
export interface HitRecordKind extends OwnedKind {
  /** The SDL's HitRecordKind, for the kinds it names; null for an agency's own kind (see recordType). */
  kind: 'WANTED_PERSON' | 'PROPERTY_ITEM' | null;
  /** The letters its ids start with. */
  letters: string;
  /** The owner's mutation that releases such a record in full to one agency for a while. */
  grantMutation: string;
}

/** The kinds the SDL names; a scaffolded agency's records are told apart by their type alone. */
const NAMED_KINDS: Readonly<Record<string, HitRecordKind['kind']>> = { WantedPerson: 'WANTED_PERSON', PropertyItem: 'PROPERTY_ITEM' };

/**
 * The kinds of record a hit can be on, from schema/supergraph.yaml: the `records` of every subgraph
 * hit-confirmations `asks`, so a new agency's subgraph joins the workflow by being listed there (the
 * scaffold does it) without a change here.
 */
export function hitRecordKinds(entries: readonly SubgraphEntry[] = readSupergraphConfig()): HitRecordKind[] {
  const asked = new Set(entries.find((entry) => entry.name === HIT_CONFIRMATIONS_SUBGRAPH)?.asks ?? []);
  return entries
    .filter((entry) => asked.has(entry.name))
    .flatMap((entry) =>
      entry.records.map((record) => ({
        subgraph: entry.name,
        typename: record.type,
        label: record.label,
        kind: NAMED_KINDS[record.type] ?? null,
        letters: record.letters,
        grantMutation: record.grant,
      })),
    );
}

const KINDS = hitRecordKinds();

/** The letters of the ids a hit can be on. */
export const HIT_RECORD_LETTERS = KINDS.map((kind) => kind.letters).join('');

/** The kind of the record an id (already checked to start with one of {@link HIT_RECORD_LETTERS}) names. */
export const hitRecordKindOf = (id: string): HitRecordKind => KINDS.find((kind) => kind.letters.includes(id[0]!))!;

/** The kind of a stored request's record, by its entity type; undefined for a kind no longer listed. */
export const hitRecordKindOfType = (typename: string): HitRecordKind | undefined => KINDS.find((kind) => kind.typename === typename);
