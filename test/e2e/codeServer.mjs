// A code-server instance for the end-to-end walk-through: a temp HOME / user-data / extensions dir,
// a .vsix installed into it, the server on a free port, and Debian's headless Chromium on top.
// Process helpers come from the extension-host runner (test/extension/processes.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, cleanEnv, codeServerArgs, describeProcesses, descendants, freePort, signalAll, waitForExit, waitForHealthz } from '../extension/processes.mjs';

export { CHROMIUM_FLAGS };

/** Temp folders for one run: home, user-data, extensions, workspace, chromium-profile. */
export function makeTempDirs(prefix) {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const dirs = { root };
  for (const d of ['home', 'user-data', 'extensions', 'workspace', 'chromium-profile']) {
    dirs[d] = path.join(root, d);
    mkdirSync(dirs[d], { recursive: true });
  }
  return dirs;
}


export function writeUserSettings(dirs, settings) {
  mkdirSync(path.join(dirs['user-data'], 'User'), { recursive: true });
  writeFileSync(path.join(dirs['user-data'], 'User/settings.json'), JSON.stringify(settings, null, 2));
}

/** `code-server --install-extension file.vsix` into the run's extensions dir. */
export function installExtension(entryJs, dirs, vsix) {
  const r = spawnSync(process.execPath, [entryJs, '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions, '--install-extension', vsix], {
    cwd: dirs.root,
    env: cleanEnv(dirs),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`--install-extension failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

/** Starts code-server on `dirs.workspace` and a headless Chromium; returns { server, port, context, page }. */
export async function startCodeServer(entryJs, dirs, { chromiumPath, logPath, viewport = { width: 1280, height: 800 } }) {
  const port = await freePort();
  const env = cleanEnv(dirs);
  const args = codeServerArgs(entryJs, port, dirs);
  const log = createWriteStream(logPath);
  const server = spawn(process.execPath, args, { cwd: dirs.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  await waitForHealthz(port, server, 60_000);
  const context = await chromium.launchPersistentContext(dirs['chromium-profile'], {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_FLAGS,
    env: { ...env },
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { server, port, context, page };
}

/**
 * Closes Chromium, SIGTERMs code-server and waits for every process started from here to exit
 * (stragglers get SIGTERM after 15 s, then SIGKILL), then removes the temp dirs.
 */
export async function stopAll({ context, server } = {}, dirs, log = console.log) {
  const pids = descendants(process.pid);
  await context?.close().catch((err) => log(`closing Chromium: ${err.message}`));
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
  let left = await waitForExit(pids, 15_000);
  if (left.length > 0) {
    log(`still running 15 s after SIGTERM to code-server, sending SIGTERM:\n  ${describeProcesses(left).join('\n  ')}`);
    signalAll(left, 'SIGTERM');
    left = await waitForExit(left, 5_000);
    if (left.length > 0) {
      log(`sending SIGKILL to ${left.join(' ')}`);
      signalAll(left, 'SIGKILL');
      await waitForExit(left, 2_000);
    }
  }
  if (dirs?.root) rmSync(dirs.root, { recursive: true, force: true });
}
