#!/usr/bin/env node
'use strict';
// The `gat` command: runs the bundled CLI (built by `npm run build`, which `npm ci` runs via `prepare`).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('gat: the CLI is not built yet: run `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(1);
}
require(cli).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write('gat: ' + String(e) + '\n'); process.exitCode = 1; },
);
