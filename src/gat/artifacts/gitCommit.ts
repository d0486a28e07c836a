/**
 * The commit a run was made from, for provenance. Reads .git by hand (fast, no child process) and
 * falls back to `git rev-parse HEAD` with a short timeout for layouts it does not understand.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** The HEAD commit of the repository containing `startDir`, or null outside a repository. */
export function findGitCommit(startDir: string): string | null {
  const gitDir = findGitDir(path.resolve(startDir));
  if (!gitDir) return null;
  return readHead(gitDir) ?? revParse(startDir);
}

function findGitDir(dir: string): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    if (existsSync(dotGit)) {
      if (statSync(dotGit).isDirectory()) return dotGit;
      // A worktree or submodule: `.git` is a file saying "gitdir: <path>".
      const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
      return m ? path.resolve(d, m[1].trim()) : null;
    }
    if (path.dirname(d) === d) return null;
  }
}

function readHead(gitDir: string): string | null {
  try {
    const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    if (SHA.test(head)) return head; // detached HEAD
    const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
    if (!ref) return null;
    // Worktrees keep shared refs in the common dir.
    const commonFile = path.join(gitDir, 'commondir');
    const commonDir = existsSync(commonFile) ? path.resolve(gitDir, readFileSync(commonFile, 'utf8').trim()) : gitDir;
    for (const dir of new Set([gitDir, commonDir])) {
      const loose = path.join(dir, ref);
      if (existsSync(loose)) {
        const sha = readFileSync(loose, 'utf8').trim();
        if (SHA.test(sha)) return sha;
      }
    }
    const packed = path.join(commonDir, 'packed-refs');
    if (existsSync(packed)) {
      for (const line of readFileSync(packed, 'utf8').split('\n')) {
        const [sha, name] = line.trim().split(' ');
        if (name === ref && SHA.test(sha)) return sha;
      }
    }
    return null; // e.g. a fresh repository with no commits yet
  } catch {
    return null;
  }
}

function revParse(cwd: string): string | null {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', timeout: 2000 });
  const sha = r.status === 0 ? r.stdout.trim() : '';
  return SHA.test(sha) ? sha : null;
}
