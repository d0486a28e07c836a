import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isProcessAlive } from '../artifacts/runRecord';

export class TrainLockError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'TrainLockError';
  }
}

/**
 * One training at a time per output folder (two runs would interleave checkpoints and
 * TensorBoard files): `<out>/.gat-train.lock` holds the owner's pid; a stale lock from a dead
 * process is taken over.
 */
export async function acquireTrainLock(outDir: string): Promise<() => Promise<void>> {
  const file = path.join(outDir, '.gat-train.lock');
  await fs.mkdir(outDir, { recursive: true });
  const mine = JSON.stringify({ pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, mine, { flag: 'wx' });
      return async () => {
        await fs.rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = await readOwner(file);
      if (owner && owner.hostname === os.hostname() && isProcessAlive(owner.pid)) {
        throw new TrainLockError(`another training (pid ${owner.pid}, started ${owner.startedAt}) is already writing to ${outDir}: wait for it, cancel it, or choose another --out folder`);
      }
      await fs.rm(file, { force: true }); // stale: its process is gone
    }
  }
  throw new TrainLockError(`could not take the training lock ${file}`);
}

async function readOwner(file: string): Promise<{ pid: number; hostname: string; startedAt: string } | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return null;
  }
}
