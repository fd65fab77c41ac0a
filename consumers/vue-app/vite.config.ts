import { defineConfig } from 'vite'

// A plain Vite Vue-TS app; the components are render functions, so no SFC plugin is needed.
export default defineConfig({})
