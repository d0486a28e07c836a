// Entry point of the extension-host test suite, loaded by VS Code (code-server or the desktop build
// from @vscode/test-electron) through `extensionTestsPath`. Runs every `*.test.js` next to it with
// mocha's spec reporter and reports the counts on one machine-readable console line, which the
// code-server runner turns into the `N passed, N failed` summary.
import Mocha from 'mocha';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Prefix of the console line that carries the counts to the runner (runInCodeServer.mjs). */
export const RESULT_PREFIX = '[gat-suite] result ';

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
}

export function run(): Promise<void> {
  // No colours: the output travels through the extension host's console to the runner and CI logs.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  const grep = process.env.GAT_TEST_GREP;
  if (grep) mocha.grep(grep);

  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const name of files) mocha.addFile(path.join(__dirname, name));

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        const result: SuiteResult = {
          passed: stats?.passes ?? 0,
          failed: stats?.failures ?? failures,
          pending: stats?.pending ?? 0,
        };
        console.log(RESULT_PREFIX + JSON.stringify(result));
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else if (files.length === 0) reject(new Error(`no *.test.js files in ${__dirname}`));
        else resolve();
      });
    } catch (err) {
      // A test file that throws while loading lands here; count it as one failure.
      console.error(err);
      console.log(RESULT_PREFIX + JSON.stringify({ passed: 0, failed: 1, pending: 0 } satisfies SuiteResult));
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
