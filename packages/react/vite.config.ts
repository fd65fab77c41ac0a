import { defineConfig } from 'vite'

// Library build: the main entry and the test double (`/testing`, for apps' tests only); React and
// core stay external so the app has one copy of each.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    lib: { entry: { index: 'src/index.ts', testing: 'src/testing.ts' }, formats: ['es'] },
    target: 'es2022',
    minify: false,
    sourcemap: true,
    rollupOptions: { external: [/^react($|\/)/, /^@tokenkeep\/core/] },
  },
})
