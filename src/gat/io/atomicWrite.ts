import { randomBytes } from 'node:crypto';
import { promises as fs, writeFileSync, renameSync, unlinkSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';

/** A temp name beside the target, so the final rename stays on one file system (and is atomic). */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes a file so that readers see either the old content or the complete new one, never a
 * half-written file: write to a temp file beside it, flush, then rename over the target.
 * On failure the temp file is removed and the target is untouched.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
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
