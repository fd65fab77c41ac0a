/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_ISSUER?: string
  readonly VITE_CLIENT_ID?: string
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent
  export default component
}
