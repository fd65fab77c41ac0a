import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// The demo apps: vanilla (index.html), React (react.html) and Vue (vue.html). The issuer comes
// from the environment (set by demo/start.mjs and by the e2e setup), so the same apps run
// against a provider on any port. The packages are used from source: no build step first.
export default defineConfig({
  root: here('.'),
  appType: 'spa',
  plugins: [vue()],
  // React's JSX through Vite's own transform: no React plugin needed.
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    alias: [
      { find: /^@tokenkeep\/core$/, replacement: here('../packages/core/src/index.ts') },
      { find: /^@tokenkeep\/react$/, replacement: here('../packages/react/src/index.ts') },
      { find: /^@tokenkeep\/vue$/, replacement: here('../packages/vue/src/index.ts') },
      { find: /^@tokenkeep\/vue\/router$/, replacement: here('../packages/vue/src/router.ts') },
    ],
    // The adapters' sources import react/vue from their own folders: one copy each in the app.
    dedupe: ['react', 'react-dom', 'vue', 'vue-router'],
  },
  define: {
    __TK_CONFIG__: JSON.stringify({
      issuer: process.env.TK_ISSUER ?? 'http://127.0.0.1:9080',
      clientId: process.env.TK_CLIENT_ID ?? 'tokenkeep-demo',
    }),
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    // The app, the React and Vue demos, and the landing pages of popup login and silent renewal,
    // which load only their helper.
    rollupOptions: {
      input: {
        main: here('index.html'),
        react: here('react.html'),
        vue: here('vue.html'),
        popupCallback: here('popup-callback.html'),
        silentCallback: here('silent-callback.html'),
      },
    },
  },
})
