/**
 * Runs `fn` while holding an exclusive lock shared by every tab of the origin. Injectable through
 * the `tabs.lock` option (tests, or a runtime without Web Locks); the default is the browser's
 * Web Locks (`navigator.locks.request`), and without them each tab runs `fn` on its own.
 */
export type Lock = <T>(name: string, fn: () => Promise<T>) => Promise<T>

/** Per-tab behaviour for browsers without Web Locks: never worse than no coordination at all. */
export const noLock: Lock = (_name, fn) => fn()

/**
 * The Web Locks API (`navigator.locks`), or `undefined` where it is missing (old browsers,
 * insecure contexts other than localhost). Locks are released when their tab goes away.
 *
 * @see https://w3c.github.io/web-locks/
 */
export function webLock(): Lock | undefined {
  const locks = globalThis.navigator?.locks
  if (!locks?.request) return undefined
  return (name, fn) => locks.request(name, { mode: 'exclusive' }, fn) as ReturnType<typeof fn>
}

/**
 * Claims `name` for as long as this page lives, if no other live tab holds it. Returns false when
 * another tab already does: the way a duplicated tab (which copied our sessionStorage, tab id
 * included) finds out that it is the copy. `undefined` when Web Locks are missing.
 */
export async function claimForPageLifetime(name: string): Promise<boolean | undefined> {
  const locks = globalThis.navigator?.locks
  if (!locks?.request) return undefined
  return new Promise<boolean>((resolve) => {
    void locks.request(name, { ifAvailable: true }, (lock) => {
      resolve(lock !== null)
      // Hold it until the page goes away; the browser releases it then.
      return lock === null ? undefined : new Promise<void>(() => {})
    })
  })
}
