import { defineConfig } from 'vite'

// Library build: the main entry and the optional vue-router entry; Vue, vue-router and core stay
// external so the app has one copy of each.
export default defineConfig({
  build: {
    lib: { entry: { index: 'src/index.ts', router: 'src/router.ts' }, formats: ['es'] },
    target: 'es2022',
    minify: false,
    sourcemap: true,
    rollupOptions: { external: [/^vue($|\/)/, /^vue-router/, /^@tokenkeep\/core/] },
  },
})
