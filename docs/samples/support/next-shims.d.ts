// Next.js is not a dependency of the docs workspace (it is large, and only one sample uses it):
// this is the part of next/navigation that sample uses, as Next 16 types it. The real thing is
// type-checked by `next build` in e2e/consumers.e2e.ts (consumers/next-app).
declare module 'next/navigation' {
  export interface AppRouterInstance {
    replace(href: string, options?: { scroll?: boolean }): void
    push(href: string, options?: { scroll?: boolean }): void
  }
  export function useRouter(): AppRouterInstance
}
