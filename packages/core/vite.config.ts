import { defineConfig } from 'vite'

// Library build: ESM, one output file per source module (preserveModules), dependencies left
// external so the app's bundler dedupes them. One file per module keeps the lazy imports lazy in
// the app that installs the package: the client loads the IndexedDB store and the signature
// check with `import()`, and an app's bundler can only split those off when they are separate
// files. A single bundled file would inline them (Vite's INEFFECTIVE_DYNAMIC_IMPORT, because the
// entry also re-exports `indexedDbStore`), and every app would pay for them at start.
export default defineConfig({
  build: {
    lib: { entry: { index: 'src/index.ts', testing: 'src/testing.ts' }, formats: ['es'] },
    target: 'es2022',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      external: [/^oauth4webapi/, /^jose/, /^idb-keyval/],
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
})
