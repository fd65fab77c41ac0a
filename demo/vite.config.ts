import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// The demo app. The issuer comes from the environment (set by demo/start.mjs and by the e2e
// setup), so the same app runs against a provider on any port.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  appType: 'spa',
  resolve: {
    alias: { '@tokenkeep/core': fileURLToPath(new URL('../packages/core/src/index.ts', import.meta.url)) },
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
    // Two pages: the app, and the popup's landing page (popup login), which loads only the helper.
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        popupCallback: fileURLToPath(new URL('./popup-callback.html', import.meta.url)),
      },
    },
  },
})
