// --userns=auto: every container gets a range of its own of the `strata` user's subordinate ids
// (/etc/subuid, /etc/subgid), as podman's --userns=auto takes them from `containers`. The entries
// are added on first use, appended so that no other line moves. Ranges are recorded in the
// container records and chosen under the names lock, so two creates never take the same one;
// removing a container frees its range with its record.
import fs from 'node:fs';
import type { IdMapping } from '../api.js';
import { EngineError } from '../errors.js';

export const SUBORDINATE_USER = 'strata';
export const RANGE_SIZE = 65536; // docker's and podman's: every 16-bit id
const DEFAULT_START = 1_000_000_000; // far above the 100000-based ranges useradd gives users
const DEFAULT_RANGES = 10_000; // containers at once

export interface SubordinateEntry {
  name: string;
  start: number;
  count: number;
}

export interface SubordinateFiles {
  subuid: string;
  subgid: string;
}

export const HOST_SUBORDINATE_FILES: SubordinateFiles = { subuid: '/etc/subuid', subgid: '/etc/subgid' };

/** The lines of /etc/subuid or /etc/subgid that parse (NAME:START:COUNT); others are left alone. */
export function parseSubordinate(text: string): SubordinateEntry[] {
  const out: SubordinateEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([^:#\s][^:]*):(\d+):(\d+)\s*$/.exec(line);
    if (m) out.push({ name: m[1], start: Number(m[2]), count: Number(m[3]) });
  }
  return out;
}

/** A free place for strata's ids: the default start, or past every other entry when they reach it. */
export function chooseStrataEntry(others: SubordinateEntry[]): SubordinateEntry {
  const count = RANGE_SIZE * DEFAULT_RANGES;
  let start = DEFAULT_START;
  for (const e of [...others].sort((a, b) => a.start - b.start)) {
    if (e.start < start + count && start < e.start + e.count) start = Math.ceil((e.start + e.count) / RANGE_SIZE) * RANGE_SIZE;
  }
  if (start + count > 0xfffffffe) throw new EngineError('no room in the 32-bit id space for strata\'s subordinate ids', 'internal');
  return { name: SUBORDINATE_USER, start, count };
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** strata's entry in one of the files, appended when it has none. */
export function ensureStrataEntry(file: string): SubordinateEntry {
  const text = readOrEmpty(file);
  const entries = parseSubordinate(text);
  const own = entries.find((e) => e.name === SUBORDINATE_USER);
  if (own) return own;
  const chosen = chooseStrataEntry(entries);
  const line = `${chosen.name}:${chosen.start}:${chosen.count}\n`;
  fs.appendFileSync(file, text === '' || text.endsWith('\n') ? line : `\n${line}`, { mode: 0o644 });
  return chosen;
}

/** The first block of RANGE_SIZE ids in strata's entries that no container in `taken` holds. */
export function allocateRange(uids: SubordinateEntry, gids: SubordinateEntry, taken: IdMapping[]): IdMapping {
  const blocks = Math.min(Math.floor(uids.count / RANGE_SIZE), Math.floor(gids.count / RANGE_SIZE));
  const usedUid = new Set(taken.map((m) => m.uidStart));
  for (let i = 0; i < blocks; i++) {
    const uidStart = uids.start + i * RANGE_SIZE;
    const gidStart = gids.start + i * RANGE_SIZE;
    const overlaps = taken.some((m) => (uidStart < m.uidStart + m.size && m.uidStart < uidStart + RANGE_SIZE) ||
      (gidStart < m.gidStart + m.size && m.gidStart < gidStart + RANGE_SIZE));
    if (!usedUid.has(uidStart) && !overlaps) return { uidStart, gidStart, size: RANGE_SIZE };
  }
  throw new EngineError(`no free subordinate id range for --userns=auto: the ${blocks} ranges of ${RANGE_SIZE} ids of user ${SUBORDINATE_USER} in /etc/subuid and /etc/subgid are all in use`, 'conflict');
}

/** A range for a new container; call with the names lock held (the records are what is taken). */
export function newIdMapping(taken: IdMapping[], files: SubordinateFiles = HOST_SUBORDINATE_FILES): IdMapping {
  return allocateRange(ensureStrataEntry(files.subuid), ensureStrataEntry(files.subgid), taken);
}
