import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

const made: string[] = [];
// One clean-up for the whole test file, registered when this module loads (at the file's top
// level). Registered per call, `after` would attach to the current test or hook, so a folder made
// inside a `before` hook was removed as the hook ended, before the tests that needed it.
after(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed when the test file ends (wherever it is made: suite, hook or test). */
export function tempDir(prefix = 'gat-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
