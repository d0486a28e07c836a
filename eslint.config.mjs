// Lint rules, plus the area boundaries: the training core never imports `vscode`, and the
// browser code imports neither `vscode`, TensorFlow.js nor Node built-ins.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'https', 'net', 'stream', 'util', 'zlib'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.cache/', '.tmp/', 'media/vendor/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/gat/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/gat and src/protocol must not depend on VS Code.' }] }],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Webviews talk to the host through the protocol, never `vscode`.' }, ...nodeBuiltins.map((name) => ({ name, message: 'Browser code has no Node built-ins.' }))],
          patterns: [
            { group: ['@tensorflow/*'], message: 'Browser code must not load TensorFlow.js.' },
            { group: ['node:*'], message: 'Browser code has no Node built-ins.' },
            { group: ['**/gat/**', '**/extension/**'], message: 'Import shared types from src/protocol only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/figures/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Figure code is pure: no VS Code.' }, ...nodeBuiltins.map((name) => ({ name, message: 'Figure code is pure: no Node built-ins (the panels run it in a browser).' }))],
          patterns: [
            { group: ['@tensorflow/*', 'd3*'], message: 'Figure code is pure and dependency-free.' },
            { group: ['node:*'], message: 'Figure code is pure: no Node built-ins.' },
            { group: ['**/gat/**', '**/extension/**', '**/webview/**'], message: 'Figure code depends on src/protocol only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.js', 'eslint.config.mjs', '.ci/**/*.mjs', 'test/e2e/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', __dirname: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
