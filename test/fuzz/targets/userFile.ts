/**
 * The file-opening layer every parser reads through (src/gat/io/userFile.ts readUserFile), on what a
 * user's path can really be: a regular file (of any size against the budget), a folder, a FIFO with
 * no writer, a link to /dev/zero, a link to a folder, a link to a file, a dangling link. Input byte
 * 0 picks the kind, bytes 1-2 the budget (0 to 65,535 bytes), the rest is the file's content.
 * Contract: a regular file within its budget reads back exactly; anything else is a UserFileError
 * naming the path (never a hang, a stack of bytes from a device, or another exception).
 */
import * as fc from 'fast-check';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { readUserFile, UserFileError } from '../../../src/gat/io/userFile';
import { require, type FuzzTarget } from '../target';

const KINDS = ['file', 'folder', 'fifo', 'devZero', 'linkToFolder', 'linkToFile', 'dangling'] as const;
type Kind = (typeof KINDS)[number];

/** One folder per process with one path of each kind, made once (a FIFO needs mkfifo). */
let made: Record<Kind, string> | undefined;
function paths(): Record<Kind, string> {
  if (made) return made;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gat-fuzz-userfile-'));
  const p = (name: string): string => path.join(dir, name);
  const at: Record<Kind, string> = { file: p('model.pth'), folder: p('folder.pth'), fifo: p('fifo.npy'), devZero: p('zero.pth'), linkToFolder: p('folder-link.json'), linkToFile: p('file-link.pth'), dangling: p('dangling.pth') };
  writeFileSync(at.file, '');
  mkdirSync(at.folder);
  execFileSync('mkfifo', [at.fifo]);
  symlinkSync('/dev/zero', at.devZero);
  symlinkSync(at.folder, at.linkToFolder);
  symlinkSync(at.file, at.linkToFile);
  symlinkSync(p('nowhere'), at.dangling);
  made = at;
  return at;
}

function decode(input: Uint8Array): { kind: Kind; budget: number; content: Uint8Array } {
  return { kind: KINDS[(input[0] ?? 0) % KINDS.length], budget: (input[1] ?? 0) | ((input[2] ?? 0) << 8), content: input.subarray(3) };
}

function encode(kind: Kind, budget: number, content: Uint8Array): Uint8Array {
  const out = new Uint8Array(3 + content.length);
  out.set([KINDS.indexOf(kind), budget & 0xff, budget >> 8]);
  out.set(content, 3);
  return out;
}

export const userFileTarget: FuzzTarget = {
  name: 'userFile',
  description: 'readUserFile on regular files, folders, FIFOs, links to /dev/zero, links and dangling links, within and past a budget',
  async run(input) {
    const { kind, budget, content } = decode(input);
    const at = paths();
    // The regular file (and the link to it) holds this input's content.
    writeFileSync(at.file, content);
    const bytes = await readUserFile(at[kind], { what: 'fuzzed file', maxBytes: budget });
    require(kind === 'file' || kind === 'linkToFile', `${kind} was read as a file (${bytes.length} bytes)`);
    require(content.length <= budget, `${content.length} bytes were read past a ${budget}-byte budget`);
    require(bytes.length === content.length && bytes.every((b, i) => b === content[i]), 'the bytes read are not the file');
  },
  isOwnError: (e) => e instanceof UserFileError,
  get files() {
    return Object.values(paths());
  },
  seeds: () => KINDS.flatMap((kind) => [encode(kind, 16, new Uint8Array(8).fill(7)), encode(kind, 4, new Uint8Array(8).fill(1)), encode(kind, 0, new Uint8Array(0))]),
  generate: fc
    .record({ kind: fc.constantFrom(...KINDS), budget: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 65_535 })), content: fc.uint8Array({ maxLength: 200 }) })
    .map(({ kind, budget, content }) => encode(kind, budget, content)),
};
