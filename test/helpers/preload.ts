/**
 * Code a test runs inside the real `gat` process (NODE_OPTIONS=--require, which Node also applies to
 * the worker threads the CLI starts): how a test makes happen what a user's machine can, such as a
 * bug that throws from a timer or a process that has used up its file descriptors, with nothing in
 * the product itself there to fake it.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './tempDir';

let dir: string | undefined;

/** The environment that loads `source` (CommonJS) first in every thread of the CLI's process. */
export function preloadEnv(name: string, source: string): NodeJS.ProcessEnv {
  dir ??= tempDir('gat-preload-');
  const file = path.join(dir, `${name}.js`);
  writeFileSync(file, source);
  return { NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require "${file}"`].filter(Boolean).join(' ') };
}
