/* global process, console, setTimeout, clearTimeout */
// Extension-host test tier in a real VS Code: runs test/extension/suite inside code-server 4.100.3
// (VS Code 1.100.3, installed by scripts/setupCodeServer.sh), driven by Debian's headless Chromium
// through playwright-core. code-server starts an extension host per browser connection and takes
// extensionDevelopmentPath / extensionTestsPath from the workbench URL (see shared/docs/vscode-e2e.md).
//
// Usage: node test/extension/runInCodeServer.mjs [--skip-build] [--env KEY=VALUE ...]
//   --skip-build      do not run scripts/build.mjs first (when the caller just built dist/)
//   --env KEY=VALUE   extra environment for code-server, which the tests see (repeatable)
// Environment: GAT_TEST_TIMEOUT_S (default 300), GAT_TEST_GREP (mocha grep inside the suite),
//   CHROMIUM_PATH (default /usr/bin/chromium), CODE_SERVER_DIR (default .cache/code-server),
//   GAT_TEST_EXTENSION_PATH (extension folder under test; default this repo, for debugging the harness).
// Exit code: the suite's (0 = all passed). The last line printed is `N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { buildSuite, repoRoot, suiteEntry } from './buildSuite.mjs';
import { CHROMIUM_FLAGS, cleanEnv, codeServerArgs, describeProcesses, descendants, freePort, signalAll, waitForExit, waitForHealthz } from './processes.mjs';

const RESULT_PREFIX = '[gat-suite] result '; // keep in sync with suite/index.ts

const timeoutS = Number(process.env.GAT_TEST_TIMEOUT_S ?? 300);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const codeServerDir = process.env.CODE_SERVER_DIR ?? path.join(repoRoot, '.cache/code-server');
const entryJs = path.join(codeServerDir, 'node_modules/code-server/out/node/entry.js');
const artifactsDir = path.join(repoRoot, 'out/test/extension/artifacts');
const extensionPath = path.resolve(process.env.GAT_TEST_EXTENSION_PATH ?? repoRoot);

function parseArgs(argv) {
  const opts = { build: true, env: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--skip-build') opts.build = false;
    else if (arg === '--env' && argv[i + 1]?.includes('=')) {
      const [key, ...rest] = argv[++i].split('=');
      opts.env[key] = rest.join('=');
    } else throw new Error(`unknown argument ${arg} (usage: [--skip-build] [--env KEY=VALUE ...])`);
  }
  return opts;
}

const log = (msg) => console.log(`[runInCodeServer] ${msg}`);
/**
 * Closes Chromium and SIGTERMs code-server, then waits for every process this runner started
 * (browser helpers, code-server's entry.js child, file watcher, extension host) to exit, so the
 * temp dirs can go and nothing is left behind. Children normally follow within ~10 s; an extension
 * host cut off mid-suite (timeout) does not, so stragglers get SIGTERM after 15 s, then SIGKILL.
 */
async function stopAll(context, server) {
  const pids = descendants(process.pid);
  await context?.close().catch((err) => log(`closing Chromium: ${err.message}`));
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
  let left = await waitForExit(pids, 15_000);
  if (left.length === 0) return;
  log(`still running 15 s after SIGTERM to code-server, sending SIGTERM:\n  ${describeProcesses(left).join('\n  ')}`);
  signalAll(left, 'SIGTERM');
  left = await waitForExit(left, 5_000);
  if (left.length === 0) return;
  log(`sending SIGKILL to ${left.join(' ')}`);
  signalAll(left, 'SIGKILL');
  await waitForExit(left, 2_000);
}

/** The workbench hands over console arguments unformatted: apply the format string like Node does. */
function formatConsoleArgs(args) {
  if (!Array.isArray(args)) return String(args);
  return format(...args.map((a) => (typeof a === 'string' ? a : a === undefined ? 'undefined' : JSON.stringify(a))));
}

async function saveArtifacts(tmp, serverLogPath, page) {
  mkdirSync(artifactsDir, { recursive: true });
  const saved = [];
  if (existsSync(serverLogPath)) {
    copyFileSync(serverLogPath, path.join(artifactsDir, 'code-server.log'));
    saved.push('code-server.log');
  }
  const vscodeLogs = path.join(tmp, 'user-data/logs');
  if (existsSync(vscodeLogs)) {
    cpSync(vscodeLogs, path.join(artifactsDir, 'vscode-logs'), { recursive: true });
    saved.push('vscode-logs/');
  }
  if (page) {
    try {
      await page.screenshot({ path: path.join(artifactsDir, 'screenshot.png'), timeout: 10_000 });
      saved.push('screenshot.png');
    } catch (err) {
      log(`screenshot failed: ${err.message}`);
    }
  }
  log(`artifacts saved in ${path.relative(repoRoot, artifactsDir)}/: ${saved.join(', ')}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(entryJs)) throw new Error(`code-server is not installed at ${codeServerDir}: run bash scripts/setupCodeServer.sh`);
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} not found: apt-get install chromium (or run scripts/setupCodeServer.sh)`);

  if (opts.build) {
    log('building the extension (scripts/build.mjs)');
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('scripts/build.mjs failed');
  }
  const manifest = JSON.parse(readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
  if (manifest.main && !existsSync(path.join(extensionPath, manifest.main))) log(`warning: ${manifest.main} does not exist: activation will fail`);
  const nFiles = await buildSuite();
  log(`suite built: ${nFiles} files in ${path.relative(repoRoot, path.dirname(suiteEntry))}/`);
  rmSync(artifactsDir, { recursive: true, force: true });

  const tmp = mkdtempSync(path.join(tmpdir(), 'gat-ext-test-'));
  const dirs = Object.fromEntries(['home', 'user-data', 'extensions', 'workspace', 'chromium-profile'].map((d) => [d, path.join(tmp, d)]));
  Object.values(dirs).forEach((d) => mkdirSync(d, { recursive: true }));
  mkdirSync(path.join(dirs['user-data'], 'User'), { recursive: true });
  writeFileSync(
    path.join(dirs['user-data'], 'User/settings.json'),
    JSON.stringify({ 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', 'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false, 'update.mode': 'none', 'workbench.startupEditor': 'none' }, null, 2),
  );
  const serverLogPath = path.join(tmp, 'code-server.log');

  let server;
  let context;
  let page;
  let onInterrupt;
  const interrupted = new Promise((resolve) => (onInterrupt = resolve));
  const onSignal = (sig) => {
    log(`${sig}: cleaning up`);
    onInterrupt('interrupted');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const counts = { passed: 0, failed: 0, pending: 0, reported: false };
  let exitCode = 1;
  const t0 = Date.now();
  try {
    const port = await freePort();
    // A clean environment: a temp HOME (code-server, Chromium and @vscode/deviceid write there),
    // nothing inherited from a VS Code this might be started from, plus the test variables.
    const env = { ...cleanEnv(dirs), GAT_TEST_WORKSPACE: dirs.workspace, ...opts.env };
    const args = codeServerArgs(entryJs, port, dirs);
    const serverLog = createWriteStream(serverLogPath);
    server = spawn(process.execPath, args, { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout.pipe(serverLog);
    server.stderr.pipe(serverLog);
    await waitForHealthz(port, server, 60_000);
    log(`code-server up on 127.0.0.1:${port} (${Date.now() - t0} ms)`);

    context = await chromium.launchPersistentContext(dirs['chromium-profile'], {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_FLAGS,
      env: { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME, XDG_CACHE_HOME: env.XDG_CACHE_HOME },
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());

    let resolveExit;
    const exited = new Promise((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = formatConsoleArgs(args);
      for (const line of text.split('\n')) {
        if (line.startsWith(RESULT_PREFIX)) {
          Object.assign(counts, JSON.parse(line.slice(RESULT_PREFIX.length)), { reported: true });
        } else if (type === 'error') console.error(line);
        else console.log(line);
      }
    });

    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(suiteEntry)],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    log(`workbench loading; waiting up to ${timeoutS} s for the suite`);

    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutS * 1000)));
    const serverDied = new Promise((resolve) => server.once('exit', () => resolve('server-exit')));
    const outcome = await Promise.race([exited, timedOut, serverDied, interrupted]);
    clearTimeout(timer);
    log(`suite ended after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (typeof outcome === 'number') exitCode = outcome;
    else if (outcome === 'timeout') log(`TIMEOUT: the suite did not finish within ${timeoutS} s (no codeAutomationExit call). Raise GAT_TEST_TIMEOUT_S or see the artifacts.`);
    else if (outcome === 'server-exit') log(`code-server exited during the run (code ${server.exitCode}, signal ${server.signalCode})`);
    else exitCode = 130;
  } catch (err) {
    log(`ERROR: ${err?.stack ?? err}`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (exitCode !== 0) await saveArtifacts(tmp, serverLogPath, page);
    const tStop = Date.now();
    await stopAll(context, server);
    log(`stopped Chromium and code-server in ${((Date.now() - tStop) / 1000).toFixed(1)} s`);
    rmSync(tmp, { recursive: true, force: true });
  }

  log(`suite finished with exit code ${exitCode} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (!counts.reported) {
    log('the suite reported no counts (it did not load or did not finish): counting the run as one failure');
    counts.failed = Math.max(counts.failed, 1);
  }
  // CI reads this line: keep it last and exactly in this form.
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  return counts.failed > 0 ? Math.max(exitCode, 1) : exitCode;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[runInCodeServer] ${err?.stack ?? err}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
