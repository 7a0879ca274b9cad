// --userns=auto: every container gets a range of its own of the `strata` user's subordinate ids
// (/etc/subuid, /etc/subgid), as podman's --userns=auto takes them from `containers`. The entries
// are added on first use, appended so that no other line moves. A range is recorded in the
// container's record, and claimed host-wide (the ids are the host's, and several store roots may
// share a host) by a file naming the container's directory, under a host-wide lock: a claim whose
// directory is gone (the container was removed, or its whole store) and whose creator has exited
// is free again.
import fs from 'node:fs';
import path from 'node:path';
import type { IdMapping } from '../api.js';
import { EngineError } from '../errors.js';
import { withFileLockSync } from '../store/lock.js';

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
  claims: string; // directory of the ranges claimed on this host, one file per range
}

export const HOST_SUBORDINATE_FILES: SubordinateFiles = { subuid: '/etc/subuid', subgid: '/etc/subgid', claims: '/var/lib/strata-userns' };

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

interface Claim { containerDir: string; pid: number; uidStart: number; gidStart: number; size: number }

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The ranges claimed by containers that still exist (or are being made) anywhere on this host. */
function liveClaims(dir: string): IdMapping[] {
  const out: IdMapping[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!/^\d+$/.test(name)) continue;
    const file = path.join(dir, name);
    let claim: Claim;
    try {
      claim = JSON.parse(fs.readFileSync(file, 'utf8')) as Claim;
    } catch {
      continue; // torn by a crash mid-write: never handed out while it was being written
    }
    if (fs.existsSync(claim.containerDir) || processAlive(claim.pid)) out.push({ uidStart: claim.uidStart, gidStart: claim.gidStart, size: claim.size });
    else fs.rmSync(file, { force: true });
  }
  return out;
}

/**
 * A range for a new container whose directory will be containerDir; `taken` are the ranges of
 * its own store's records (call with the names lock held, so that they are all written).
 */
export function newIdMapping(containerDir: string, taken: IdMapping[], files: SubordinateFiles = HOST_SUBORDINATE_FILES): IdMapping {
  fs.mkdirSync(files.claims, { recursive: true, mode: 0o700 });
  return withFileLockSync(path.join(files.claims, 'lock'), () => {
    const mapping = allocateRange(ensureStrataEntry(files.subuid), ensureStrataEntry(files.subgid), [...taken, ...liveClaims(files.claims)]);
    const claim: Claim = { containerDir, pid: process.pid, ...mapping };
    const file = path.join(files.claims, String(mapping.uidStart));
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(claim));
    fs.renameSync(`${file}.tmp`, file);
    return mapping;
  });
}

/** Drops the host-wide claim of a removed container (a claim of another container is left alone). */
export function releaseIdMapping(mapping: IdMapping, containerDir: string, files: SubordinateFiles = HOST_SUBORDINATE_FILES): void {
  const file = path.join(files.claims, String(mapping.uidStart));
  if (!fs.existsSync(files.claims)) return;
  withFileLockSync(path.join(files.claims, 'lock'), () => {
    try {
      if ((JSON.parse(fs.readFileSync(file, 'utf8')) as Claim).containerDir === containerDir) fs.rmSync(file, { force: true });
    } catch { /* no claim, or a torn one: the next allocation sorts it out */ }
  });
}
