import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node built-ins and I/O libraries that must never reach workflow code (determinism). */
const ioModules = ['node:*', 'fs', 'path', 'http', 'https', 'crypto', 'child_process', 'os', 'net',
  'drizzle-orm', 'drizzle-orm/*', '@libsql/*', 'twilio', 'web-push', 'hono', 'hono/*', 'pino', 'yaml',
  '@temporalio/client', '@temporalio/worker', '@temporalio/activity'];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/', 'db/migrations/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests assert on parsed JSON bodies with expect(); typing every response would add nothing.
    files: ['test/harness.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ioModules.map((group) => ({ group: [group], message: 'Workflow code is deterministic: do I/O in activities.' })) }],
    },
  },
);
