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
// It sets the exit code, and ends any error (even one outside its promise) in one line.
require(cli).runAsProcess(process.argv.slice(2));
