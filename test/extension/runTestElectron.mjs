/* global process, console */
// The same extension-host suite in desktop VS Code through @vscode/test-electron, for machines
// with internet access. It CANNOT run on our build machines: runTests() downloads VS Code from
// update.code.visualstudio.com at run time, which is unreachable there. Use runInCodeServer.mjs
// (npm run test:extension) locally and in CI; this runner exists so the suite stays portable.
// Usage: node test/extension/runTestElectron.mjs   (VSCODE_VERSION picks the build, default 1.100.3)
import { runTests } from '@vscode/test-electron';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSuite, repoRoot, suiteEntry } from './buildSuite.mjs';

await buildSuite();
const workspace = mkdtempSync(path.join(tmpdir(), 'gat-ext-ws-'));
let code = 1;
try {
  code = await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suiteEntry,
    extensionTestsEnv: { GAT_TEST_WORKSPACE: workspace },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (err) {
  console.error(`runTestElectron: ${err?.message ?? err}`);
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
process.exit(code);
