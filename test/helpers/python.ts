import { execFileSync, spawnSync } from 'node:child_process';

const CANDIDATES = ['python3', '/usr/bin/python3'];

/**
 * A Python interpreter that can import `module`, for cross-checks against reference
 * libraries (networkx, igraph, numpy). `.ci/run` installs them from Debian; a missing one
 * fails the test with the install command, it never skips.
 */
export function pythonWith(module: string): string {
  for (const py of CANDIDATES) {
    const r = spawnSync(py, ['-c', `import ${module}`], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  throw new Error(`no Python with '${module}' found (tried ${CANDIDATES.join(', ')}): apt-get install python3-${module}`);
}

/** Runs a Python script with JSON on stdin and parses the JSON it prints. */
export function runPythonJson<T>(module: string, script: string, input: unknown): T {
  const out = execFileSync(pythonWith(module), ['-W', 'ignore', '-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as T;
}
