import { defineConfig } from 'vite'

// Library build: one ESM entry, dependencies left external so the app's bundler dedupes them.
export default defineConfig({
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: 'index' },
    target: 'es2022',
    minify: false,
    sourcemap: true,
    rollupOptions: { external: [/^oauth4webapi/, /^jose/, /^idb-keyval/] },
  },
})
