/**
 * The first question to Dawn, "is there an adapter?", asked in a child process. Where no GPU driver
 * is found, Dawn's Vulkan loader writes its complaints ("vkCreateInstance: Found no drivers!",
 * "Couldn't load Vulkan: libvulkan.so.1 …", a stack line into Dawn's own sources) straight to file
 * descriptor 2 from native code, which nothing in-process can catch. The child's stderr is read
 * instead and boiled down to one line of ours; Dawn is loaded in this process only once the child
 * found an adapter and the webgpu back end is chosen.
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export interface ProbedAdapter {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

export type AdapterProbe =
  | { readonly ok: true; readonly adapter: ProbedAdapter | null; /** What the loader said, in one line ('' when silent). */ readonly loader: string }
  | { readonly ok: false; readonly reason: string };

const PROBE_TIMEOUT_MS = 30_000;

/** The child: load the package, ask for an adapter, print its info (or null) as JSON, exit. */
const CHILD = `
const [url, powerPreference] = process.argv.slice(1);
import(url).then(async (m) => {
  let a = null;
  try { a = await m.create([]).requestAdapter({ powerPreference }); } catch {}
  const i = a && a.info;
  process.stdout.write(JSON.stringify({ adapter: i ? { vendor: i.vendor || '', architecture: i.architecture || '', device: i.device || '', description: i.description || '', isFallbackAdapter: i.isFallbackAdapter === true || a.isFallbackAdapter === true } : null }));
  process.exit(0);
}, (e) => {
  process.stdout.write(JSON.stringify({ error: String((e && e.message) || e) }));
  process.exit(0);
});
`;

/** The loader's complaint as one line: its first warning, without the prefix and the stack lines into Dawn's sources. */
export function loaderLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !/XDG_RUNTIME_DIR/.test(l));
  return (lines[0] ?? '').replace(/^(Warning|Error):\s*/, '');
}

/**
 * Asks for an adapter in a child process (the same runtime as this one: Node, or Electron as Node)
 * and keeps its stderr out of ours. `ok: false` when the child itself could not answer.
 */
export function probeAdapter(webgpuEntry: string, env: NodeJS.ProcessEnv = process.env): Promise<AdapterProbe> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', CHILD, pathToFileURL(webgpuEntry).href, 'high-performance'], {
      env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `the adapter probe could not start: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        const answer = JSON.parse(stdout) as { adapter?: ProbedAdapter | null; error?: string };
        if (answer.error !== undefined) return resolve({ ok: false, reason: `the 'webgpu' package failed to load: ${answer.error}` });
        resolve({ ok: true, adapter: answer.adapter ?? null, loader: loaderLine(stderr) });
      } catch {
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        resolve({ ok: false, reason: `the adapter probe ${how}${stderr.trim() ? `: ${loaderLine(stderr)}` : ''}` });
      }
    });
  });
}
