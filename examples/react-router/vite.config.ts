import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// A plain Vite app. The provider comes from VITE_ISSUER / VITE_CLIENT_ID (.env or the
// environment); BASE_PATH serves it under a path ('/app/'), which the router uses as basename.
export default defineConfig({
  base: process.env.BASE_PATH ?? '/',
  appType: 'spa',
  // JSX through Vite's own transform: no React plugin needed.
  oxc: { jsx: { runtime: 'automatic' } },
  // Inside the tokenkeep workspace the packages are links with their own dev copies of the
  // framework: keep one. (An app that installs the packages from npm needs no such line.)
  resolve: { dedupe: ['react', 'react-dom', 'react-router'] },
  build: {
    target: 'es2022',
    rollupOptions: { input: { main: here('index.html'), popupCallback: here('popup-callback.html') } },
  },
})
