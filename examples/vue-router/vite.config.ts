import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// A plain Vite app with two entries: index.html (history mode) and hash.html (the same app on
// hash history). The provider comes from VITE_ISSUER / VITE_CLIENT_ID (.env or the environment);
// BASE_PATH serves it under a path ('/app/'), which both routers use as their base.
export default defineConfig({
  base: process.env.BASE_PATH ?? '/',
  appType: 'spa',
  plugins: [vue()],
  // Inside the tokenkeep workspace the packages are links with their own dev copies of the
  // framework: keep one. (An app that installs the packages from npm needs no such line.)
  resolve: { dedupe: ['vue', 'vue-router'] },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: { main: here('index.html'), hash: here('hash.html'), popupCallback: here('popup-callback.html') },
    },
  },
})
