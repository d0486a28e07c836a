/**
 * Which processes are running here, and since when: how run.json, the training lock and the
 * atomic writer's temp files tell a live writer from one that died (or whose pid was reused).
 */
import { readFileSync } from 'node:fs';

/** Process ids get reused: a live pid whose process started more than this far from the recorded start is another process. */
export const START_TIME_SLACK_MS = 5_000;

/** Whether a process with this id exists here (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Start time (ms since the epoch) of a process, from /proc on Linux; null where that cannot be read. */
export function processStartMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]); // field 22, starttime
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    const ticksPerSecond = 100; // USER_HZ, 100 on every mainstream Linux
    return Number.isFinite(startTicks) && Number.isFinite(btime) ? (btime + startTicks / ticksPerSecond) * 1000 : null;
  } catch {
    return null;
  }
}

/** When this process started (ISO): from /proc where it can be read, so it compares exactly with processStartMs. */
export function currentProcessStart(): string {
  return new Date(processStartMs(process.pid) ?? Date.now() - process.uptime() * 1000).toISOString();
}

/**
 * Whether the process recorded as `pid`, started at `startedAt` (ISO), still runs here: the pid
 * exists and, where both times are known, started then (not a later process that reused the pid).
 */
export function isSameProcessRunning(pid: number, startedAt: string): boolean {
  if (!isProcessAlive(pid)) return false;
  const actual = processStartMs(pid);
  const recorded = Date.parse(startedAt);
  return actual === null || Number.isNaN(recorded) || Math.abs(actual - recorded) <= START_TIME_SLACK_MS;
}
