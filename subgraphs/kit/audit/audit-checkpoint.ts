import { z } from 'zod';
import type { AuditKey } from './audit-key.ts';

/** A chain's head as a checkpoint records it. */
export interface CheckpointHead {
  chain: string;
  chainSeq: number;
  hash: string;
  /** The head entry carried a valid MAC: from there on, every entry of the chain must. */
  authenticated: boolean;
}

/** A head recorded by a checkpoint, with the checkpoint's time: what a chain must still reach. */
export interface ChainAnchor extends CheckpointHead {
  at: string;
}

/** Checkpoints read back from a file: the heads of the valid ones, and what was wrong with the others. */
export interface CheckpointReading {
  anchors: ChainAnchor[];
  /** How many lines were valid checkpoints. */
  valid: number;
  /** The time of the latest valid checkpoint. */
  latest: string | null;
  /** One message per line that is not a checkpoint signed with the key. */
  problems: string[];
}

const VERSION = 1;
const lineSchema = z.object({
  v: z.literal(VERSION),
  subgraph: z.string(),
  at: z.iso.datetime(),
  key: z.string(),
  heads: z.array(
    z.object({
      chain: z.string(),
      seq: z.number().int().min(1),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
      authenticated: z.boolean(),
    }),
  ),
  mac: z.string(),
});

/** What a checkpoint's MAC covers: every field but the MAC, in a fixed order. */
function covered(subgraph: string, at: string, keyId: string, heads: readonly CheckpointHead[]): string {
  return JSON.stringify([VERSION, subgraph, at, keyId, heads.map((head) => [head.chain, head.chainSeq, head.hash, head.authenticated])]);
}

/** One checkpoint as a line of the checkpoint file (JSON, newline-terminated), authenticated with `key`. */
export function checkpointLine(key: AuditKey, subgraph: string, at: string, heads: readonly CheckpointHead[]): string {
  const mac = key.mac('checkpoint', covered(subgraph, at, key.id, heads));
  const line = {
    v: VERSION,
    subgraph,
    at,
    key: key.id,
    heads: heads.map((head) => ({ chain: head.chain, seq: head.chainSeq, hash: head.hash, authenticated: head.authenticated })),
    mac,
  };
  return `${JSON.stringify(line)}\n`;
}

/**
 * Reads a checkpoint file's text. A line that does not parse, was signed with another key or whose
 * MAC does not match is a problem, and its heads are not used: a checkpoint is evidence only when the
 * audit key vouches for it.
 */
export function parseCheckpoints(text: string, key: AuditKey, file: string): CheckpointReading {
  const reading: CheckpointReading = { anchors: [], valid: 0, latest: null, problems: [] };
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    const problem = (what: string) => reading.problems.push(`${file} line ${index + 1}: ${what}`);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return problem('not a checkpoint (incomplete or not JSON)');
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) return problem('not a checkpoint (unexpected shape)');
    const { subgraph, at, key: keyId, mac } = parsed.data;
    if (keyId !== key.id) return problem(`signed with audit key ${keyId}, not with the key given (${key.id})`);
    const heads = parsed.data.heads.map(({ seq, ...head }) => ({ ...head, chainSeq: seq }));
    if (key.mac('checkpoint', covered(subgraph, at, keyId, heads)) !== mac) return problem('its MAC does not match its content (edited)');
    reading.valid += 1;
    if (reading.latest === null || at > reading.latest) reading.latest = at;
    reading.anchors.push(...heads.map((head) => ({ ...head, at })));
  });
  return reading;
}
