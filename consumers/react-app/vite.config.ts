import { defineConfig } from 'vite'

// A plain Vite React-TS app; JSX through Vite's own transform (no plugin needed for it).
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
})
