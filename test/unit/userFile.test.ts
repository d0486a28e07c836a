/**
 * The guarded reader every user-supplied file goes through (src/gat/io/userFile.ts), on real files,
 * folders, FIFOs, devices and sockets; and a scan of src/gat that keeps every parser on it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readUserFile, readUserLines, readUserText, UserFileError, type UserFileLine, type UserFileProblem } from '../../src/gat/io/userFile';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

const budget = (maxBytes: number, env?: string) => ({ what: 'test file', maxBytes, ...(env ? { env } : {}) });

/** A rejection that is a UserFileError about `file` with this problem, whose message contains every fragment. */
function isUserFileError(file: string, problem: UserFileProblem, ...fragments: string[]) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof UserFileError, `expected a UserFileError, got ${String(e)}`);
    assert.equal(e.path, file);
    assert.equal(e.problem, problem);
    for (const f of fragments) assert.ok(e.message.includes(f), `'${e.message}' should contain '${f}'`);
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  };
}

describe('readUserFile: only regular files, within a budget', () => {
  const dir = tempDir('gat-userfile-');

  it('reads a regular file whole, up to exactly its budget', async () => {
    const file = path.join(dir, 'exact.bin');
    const bytes = Uint8Array.from({ length: 3000 }, (_, i) => i % 251);
    writeFileSync(file, bytes);
    assert.deepEqual(await readUserFile(file, budget(3000)), bytes);
    assert.equal(await readUserText(file, budget(3000)).then((t) => t.length > 0), true);
  });

  it('refuses a file one byte past the budget, naming the file, the limit and the variable that raises it', async () => {
    const file = path.join(dir, 'big.bin');
    writeFileSync(file, new Uint8Array((2 << 20) + 1));
    await assert.rejects(readUserFile(file, budget(2 << 20, 'GAT_TEST_MAX_MB')), isUserFileError(file, 'too-big', `${file} is ${(2 << 20) + 1} bytes, more than the 2 MiB a test file may be`, 'raise the limit with GAT_TEST_MAX_MB=<MiB> (now 2)'));
  });

  it('lets the variable raise the limit (a whole number of MiB)', async () => {
    const file = path.join(dir, 'big2.bin');
    writeFileSync(file, new Uint8Array((1 << 20) + 5));
    process.env.GAT_TEST_MAX_MB = '2';
    try {
      assert.equal((await readUserFile(file, budget(1 << 20, 'GAT_TEST_MAX_MB'))).length, (1 << 20) + 5);
    } finally {
      delete process.env.GAT_TEST_MAX_MB;
    }
    await assert.rejects(readUserFile(file, budget(1 << 20, 'GAT_TEST_MAX_MB')), isUserFileError(file, 'too-big'));
  });

  it('stops at the budget when the reported size is 0 (a /proc file that says 0 and holds more)', async () => {
    const file = '/proc/self/maps';
    await assert.rejects(readUserFile(file, budget(64)), isUserFileError(file, 'too-big', `${file} is larger than the 64 bytes a test file may be`));
  });

  it('refuses a folder', async () => {
    const sub = path.join(dir, 'a-folder');
    mkdirSync(sub);
    await assert.rejects(readUserFile(sub, budget(1 << 20)), isUserFileError(sub, 'not-a-file', `${sub} is a folder, not a file`));
  });

  it('refuses a FIFO at once, without waiting for a writer', async () => {
    const fifo = path.join(dir, 'pipe.npy');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    await assert.rejects(readUserFile(fifo, budget(1 << 20)), isUserFileError(fifo, 'not-a-file', `${fifo} is a FIFO (named pipe), not a file`));
    assert.ok(Date.now() - started < 2000, 'no blocking open');
  });

  it('refuses a link to /dev/zero, saying where it points', async () => {
    const link = path.join(dir, 'zero.pth');
    symlinkSync('/dev/zero', link);
    await assert.rejects(readUserFile(link, budget(1 << 30)), isUserFileError(link, 'not-a-file', `${link} is a character device (a link to /dev/zero), not a file`));
  });

  it('refuses a socket', async () => {
    const sock = path.join(dir, 'checkpoint.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      await assert.rejects(readUserFile(sock, budget(1 << 20)), isUserFileError(sock, 'not-a-file', `${sock} is a socket, not a file`));
    } finally {
      server.close();
    }
  });

  it('says a missing file is missing, and a path through a file is missing too', async () => {
    const file = path.join(dir, 'absent.json');
    await assert.rejects(readUserFile(file, budget(10)), isUserFileError(file, 'missing', `there is no file at ${file}`));
    // A dangling link says where it points: that is what there is to fix.
    const dangling = path.join(dir, 'dangling.pth');
    symlinkSync(path.join(dir, 'moved-away.pth'), dangling);
    await assert.rejects(readUserFile(dangling, budget(10)), isUserFileError(dangling, 'missing', `${dangling} is a link to ${path.join(dir, 'moved-away.pth')}, where there is no file`));
    const plain = path.join(dir, 'plain.txt');
    writeFileSync(plain, 'x');
    const through = path.join(plain, 'run.json');
    await assert.rejects(readUserFile(through, budget(10)), isUserFileError(through, 'missing', 'a part of its path is a file'));
  });
});

describe('readUserLines: a text file line by line', () => {
  const dir = tempDir('gat-userlines-');
  const collect = async (file: string, max = 1 << 16): Promise<UserFileLine[]> => {
    const lines: UserFileLine[] = [];
    await readUserLines(file, max, 'test file', (l) => void lines.push(l));
    return lines;
  };

  it('gives the same lines as splitting the whole text, across chunk boundaries, with the torn last line marked', async () => {
    const file = path.join(dir, 'lines.txt');
    // ~3 MiB of lines of varied length (some multi-byte UTF-8), so lines straddle the 1 MiB chunks.
    const parts: string[] = [];
    for (let i = 0, length = 0; length < 3 << 20; i++) {
      parts.push(`${i}:${'é'.repeat(i % 97)}${'x'.repeat((i * 7919) % 3001)}`);
      length += parts[i].length + 1;
    }
    const text = parts.join('\n') + '\ntorn';
    writeFileSync(file, text);
    const lines = await collect(file);
    const expected = text.split('\n');
    assert.deepEqual(lines.map((l) => l.text), expected);
    assert.deepEqual(lines.map((l) => l.number), expected.map((_, i) => i + 1));
    assert.deepEqual(lines.map((l) => l.terminated), expected.map((_, i) => i < expected.length - 1));
  });

  it('refuses a line longer than the limit, naming the file and the line', async () => {
    const file = path.join(dir, 'long.txt');
    writeFileSync(file, `short\n${'y'.repeat(5000)}\n`);
    await assert.rejects(collect(file, 4096), isUserFileError(file, 'too-big', `${file} line 2 is longer than 4 KiB: not a test file`));
  });

  it('refuses a FIFO and a folder as readUserFile does', async () => {
    const fifo = path.join(dir, 'metrics.jsonl');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(collect(fifo), isUserFileError(fifo, 'not-a-file', 'is a FIFO (named pipe), not a file'));
    await assert.rejects(collect(dir), isUserFileError(dir, 'not-a-file', 'is a folder, not a file'));
  });
});

/**
 * Files under src/gat that may read a file without the guard, and why. `lines`: only the lines it
 * matches are allowed (the rest of that file is scanned like any other).
 */
const ALLOWED: ReadonlyArray<{ file: string; why: string; lines?: RegExp }> = [
  { file: 'src/gat/artifacts/provenance.ts', why: "GAT Explorer's own package.json" },
  { file: 'src/gat/artifacts/gitCommit.ts', why: 'the .git files of the checkout a run is made from, for provenance' },
  { file: 'src/gat/io/processInfo.ts', why: "the kernel's /proc files, for a process's start time", lines: /\/proc\// },
  { file: 'src/gat/figures/writeFigures.ts', why: "GAT Explorer's own panel bundles and CSS" },
];

const DIRECT_READ = /\b(readFileSync|readFile|createReadStream)\s*\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sourceFiles(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
}

describe('every read of a user file goes through userFile.ts', () => {
  it('no file under src/gat calls readFile, readFileSync or createReadStream outside the short allowlist', () => {
    const offenders: string[] = [];
    for (const abs of sourceFiles(path.join(repoRoot, 'src', 'gat'))) {
      const rel = path.relative(repoRoot, abs).split(path.sep).join('/');
      if (rel === 'src/gat/io/userFile.ts') continue;
      const allowed = ALLOWED.find((a) => a.file === rel);
      if (allowed && !allowed.lines) continue;
      readFileSync(abs, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (DIRECT_READ.test(line) && !allowed?.lines?.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(offenders, [], 'read user files with readUserFile / readUserText / readUserLines (src/gat/io/userFile.ts)');
  });

  it('the allowlist names only files that still need it', () => {
    for (const a of ALLOWED) {
      const text = readFileSync(path.join(repoRoot, a.file), 'utf8');
      assert.ok(text.split('\n').some((l) => DIRECT_READ.test(l) && (!a.lines || a.lines.test(l))), `${a.file} no longer reads directly: drop it from the allowlist`);
    }
  });
});
