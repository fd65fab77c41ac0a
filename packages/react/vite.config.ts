import { defineConfig } from 'vite'

// Library build: one ESM entry; React and core stay external so the app has one copy of each.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: 'index' },
    target: 'es2022',
    minify: false,
    sourcemap: true,
    rollupOptions: { external: [/^react($|\/)/, /^@tokenkeep\/core/] },
  },
})
