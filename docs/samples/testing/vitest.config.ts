import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Either DOM works: the test doubles need no browser API beyond the DOM itself.
    environment: 'jsdom', // or 'happy-dom'
  },
})
