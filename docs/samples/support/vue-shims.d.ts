// .vue imports in the samples, typed the way Vite apps type them.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent
  export default component
}
