/**
 * Listing a dataset folder to see what it holds. No folder there is an answer (null: the loaders go
 * on to download, or say which files are missing); a folder that is there but cannot be listed (too
 * many open files, permissions) is an error naming it. Taken for an empty folder, it was reported as
 * "unknown dataset" or "the bundled files are not there", which sent the user to the wrong fix.
 */
import { promises as fs } from 'node:fs';
import { describePathErrno, pathErrno } from '../io/fsErrors';
import { DatasetError } from './datasetError';

/** The names in `dir`, or null where there is no such folder; a failure to list one is a DatasetError (exit 3). */
export async function listDatasetFolder(dir: string): Promise<string[] | null> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    const errno = pathErrno(err);
    throw new DatasetError('missing', errno ? describePathErrno(errno) : `cannot list the folder ${dir}: ${(err as Error).message}`, dir);
  }
}
