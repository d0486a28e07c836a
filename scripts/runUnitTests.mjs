// Unit tier: bundles each test/unit/**/*.test.ts with esbuild into out/test/unit and runs them
// with Node's own test runner, whose closing summary (tests / pass / fail) CI reads.
// Usage: node scripts/runUnitTests.mjs [substring ...]  (only test files whose path contains one)
import { runTestTier } from './nodeScripts.mjs';

process.exit(await runTestTier('test/unit', 'out/test/unit', process.argv.slice(2), 'unit'));
