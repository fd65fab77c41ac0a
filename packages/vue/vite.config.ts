import { defineConfig } from 'vite'

// Library build: the main entry, the optional vue-router entry and the test double (`/testing`,
// for apps' tests only); Vue, vue-router and core stay external so the app has one copy of each.
export default defineConfig({
  build: {
    lib: { entry: { index: 'src/index.ts', router: 'src/router.ts', testing: 'src/testing.ts' }, formats: ['es'] },
    target: 'es2022',
    minify: false,
    sourcemap: true,
    rollupOptions: { external: [/^vue($|\/)/, /^vue-router/, /^@tokenkeep\/core/] },
  },
})
