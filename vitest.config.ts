import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // web/e2e drives the built app in a real browser; the rest of web/ is the app itself.
    exclude: ['node_modules/**', 'web/src/**', 'web/dist/**', 'data/**'],
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
