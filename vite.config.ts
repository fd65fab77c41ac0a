import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const core = fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url))
const coreTesting = fileURLToPath(new URL('./packages/core/src/testing.ts', import.meta.url))

// The whole test suite: `pnpm test` runs both projects; CI runs exactly that.
export default defineConfig({
  resolve: { alias: [{ find: /^@tokenkeep\/core\/testing$/, replacement: coreTesting }, { find: /^@tokenkeep\/core$/, replacement: core }] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'happy-dom',
          include: ['packages/*/src/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', 'docs/**/*.test.ts'],
          setupFiles: ['packages/core/src/test/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.e2e.ts'],
          globalSetup: ['e2e/support/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // expect.poll waits for what a person would see; 1 s (the default) is too short on a
          // loaded two-core CI machine, where a page load plus a token exchange can take longer.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
})
