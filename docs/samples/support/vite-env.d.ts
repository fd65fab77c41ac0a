// import.meta.env in the samples, as Vite's client types declare it (vite is not a dependency of
// the docs workspace).
interface ImportMetaEnv {
  readonly BASE_URL: string
  readonly MODE: string
  readonly DEV: boolean
  readonly PROD: boolean
}
interface ImportMeta {
  readonly env: ImportMetaEnv
}
