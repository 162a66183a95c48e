import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the `@arangops/source`
// condition, so tests run against src/ without a build.
export default defineConfig({
  resolve: { conditions: ['@arangops/source'] },
  ssr: { resolve: { conditions: ['@arangops/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/harness/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    clearMocks: true,
    restoreMocks: true,
    pool: 'forks',
  },
});
