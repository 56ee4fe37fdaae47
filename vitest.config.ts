import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // web/e2e drives the built app in a real browser; web/src tests are the app's pure helpers.
    exclude: ['node_modules/**', 'web/dist/**', 'data/**'],
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
