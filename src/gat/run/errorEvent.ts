import type { TrainingErrorEvent } from '../../protocol/trainingEvents';
import { pathErrno } from '../io/fsErrors';
import { TrainLockError } from './trainLock';

/**
 * The 'error' event for a failed run: its one line plus what the extension needs to offer the fix
 * (the path in the way, the lock's owner). Errors that name a path carry it as `path`.
 */
export function errorEvent(err: unknown): TrainingErrorEvent {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof TrainLockError) {
    return { type: 'error', message, code: err.code, path: err.path, ...(err.owner ? { lock: { pid: err.owner.pid, hostname: err.owner.hostname, takenAt: err.owner.takenAt } } : {}) };
  }
  const named = err as { code?: unknown; path?: unknown; name?: unknown } | null;
  const errno = pathErrno(err);
  const code = typeof named?.code === 'string' ? named.code : typeof named?.name === 'string' ? named.name : 'unknown';
  const file = typeof named?.path === 'string' ? named.path : errno?.path;
  return { type: 'error', message, code, ...(file ? { path: file } : {}) };
}
