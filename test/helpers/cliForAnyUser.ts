/**
 * A copy of the built CLI that any user can run: package.json, bin/, dist/ (without source maps),
 * media/ and data/, in a world-readable temp folder. A test that runs `gat` as another user needs
 * it: the clone may sit under a folder only its owner can enter (mode 0700, as `mktemp -d` makes
 * and as many home folders are), where that user cannot reach bin/gat.js.
 */
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { repoRoot } from './paths';

let copy: string | undefined;

after(() => {
  if (copy) rmSync(path.dirname(path.dirname(copy)), { recursive: true, force: true });
  copy = undefined;
});

/** bin/gat.js of the copy, made on first use (once per test file). */
export function gatForAnyUser(): string {
  if (copy) return copy;
  const root = mkdtempSync(path.join(os.tmpdir(), 'gat-cli-'));
  for (const entry of ['package.json', 'bin', 'dist', 'media', 'data']) {
    cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true, filter: (from) => !from.endsWith('.map') });
  }
  readableByAll(root);
  copy = path.join(root, 'bin', 'gat.js');
  return copy;
}

/** Folders 0755, files 0644 (0755 if executable): whatever umask the clone was made with. */
function readableByAll(p: string): void {
  const stats = statSync(p);
  if (stats.isDirectory()) {
    chmodSync(p, 0o755);
    for (const name of readdirSync(p)) readableByAll(path.join(p, name));
  } else {
    chmodSync(p, stats.mode & 0o111 ? 0o755 : 0o644);
  }
}
