/**
 * What a training lock says about its owner, and whether that owner can still be training: the
 * lock file's content and the judgement the lock (trainLock.ts) acts on.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { currentProcessStart, isProcessAlive, isSameProcessRunning, processStartMs, START_TIME_SLACK_MS } from '../io/processInfo';

export const LOCK_FORMAT = 'gat-explorer/train-lock/2';

export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** When the lock was taken (ISO). */
  readonly takenAt: string;
  /** When the owning process started (ISO), to tell it from a later process given the same pid; absent in locks of older versions. */
  readonly processStartedAt?: string;
}

/** This process's lock: its owner, plus a random token so that no two locks ever read the same. */
export function myLockText(now = new Date()): string {
  const owner = { format: LOCK_FORMAT, pid: process.pid, hostname: os.hostname(), takenAt: now.toISOString(), processStartedAt: currentProcessStart(), token: randomBytes(8).toString('hex') };
  return JSON.stringify(owner) + '\n';
}

/** The owner a lock's text names, or null for text that names none (damaged, or still being written). */
export function parseLockOwner(text: string): LockOwner | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  // Versions before the format line wrote { pid, hostname, startedAt }, startedAt being when the lock was taken.
  const takenAt = typeof r.takenAt === 'string' ? r.takenAt : r.startedAt;
  if (!Number.isSafeInteger(r.pid) || (r.pid as number) <= 0 || typeof r.hostname !== 'string' || typeof takenAt !== 'string') return null;
  return { pid: r.pid as number, hostname: r.hostname, takenAt, ...(typeof r.processStartedAt === 'string' ? { processStartedAt: r.processStartedAt } : {}) };
}

/**
 * - live: its owner is training now; never taken over.
 * - stale: its owner cannot be running (the pid is gone, or belongs to a process that started later).
 * - unverifiable: it cannot be told from here (another host; an older lock without the process start time); the user decides.
 */
export type LockVerdict = { readonly kind: 'live' } | { readonly kind: 'stale'; readonly why: string } | { readonly kind: 'unverifiable'; readonly why: string };

export function judgeLockOwner(owner: LockOwner, host = os.hostname()): LockVerdict {
  if (owner.hostname !== host) return { kind: 'unverifiable', why: 'it was taken on another machine, which this one cannot check' };
  if (!isProcessAlive(owner.pid)) return { kind: 'stale', why: `pid ${owner.pid} is gone` };
  if (owner.processStartedAt !== undefined) {
    return isSameProcessRunning(owner.pid, owner.processStartedAt) ? { kind: 'live' } : { kind: 'stale', why: `pid ${owner.pid} now belongs to another process` };
  }
  // An older version's lock: the pid's process is another one if it started after the lock was taken.
  const actual = processStartMs(owner.pid);
  const taken = Date.parse(owner.takenAt);
  if (actual !== null && !Number.isNaN(taken) && actual > taken + START_TIME_SLACK_MS) return { kind: 'stale', why: `pid ${owner.pid} started after the lock was taken` };
  const since = actual !== null ? ` (running since ${new Date(actual).toISOString()})` : '';
  return { kind: 'unverifiable', why: `it was written by an older version that did not record its process's start time, so pid ${owner.pid}${since} may be an unrelated process` };
}
