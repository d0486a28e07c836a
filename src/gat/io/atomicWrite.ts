import { randomBytes } from 'node:crypto';
import { promises as fs, writeFileSync, renameSync, unlinkSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { isProcessAlive } from './processInfo';

/** A temp name beside the target, so the final rename stays on one file system (and is atomic). */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** `.<name>.<pid>.<8 hex>.tmp`, as tempPathFor names them: group 1 is the writer's pid. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** Folders this process has already swept for dead writers' temp files. */
const swept = new Set<string>();

/**
 * Removes the temp files that writers killed mid-write (kill -9, power loss) left in `dir`: those
 * whose writer's pid no longer runs here. Once per folder per process, the first time it is written.
 * A pid reused since by another process keeps its file until a later sweep: never a live writer's.
 */
export async function removeDeadWritersTemps(dir: string): Promise<void> {
  if (swept.has(dir)) return;
  swept.add(dir);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[1] ?? NaN);
    if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && !isProcessAlive(pid)) await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
  }
}

/**
 * Writes a file so that readers see either the old content or the complete new one, never a
 * half-written file: write to a temp file beside it, flush, then rename over the target.
 * On failure the temp file is removed and the target is untouched.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  await removeDeadWritersTemps(path.dirname(target));
  const tmp = tempPathFor(target);
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Synchronous twin of writeFileAtomic, for exit paths where awaiting is not possible. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, target);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw err;
  }
}
