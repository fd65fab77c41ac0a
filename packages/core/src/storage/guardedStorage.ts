import { AuthError } from '../errors'
import { createMemoryStorage } from './memoryStorage'
import type { NavigationAwareStorage } from './fallbackStorage'
import type { TokenStorage } from './tokenStorage'

/** How long one storage call may take before the store is treated as broken. */
export const STORAGE_TIMEOUT_MS = 5_000

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`storage call took longer than ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Wraps the app's store so that storage can never crash the app.
 *
 * - A store that throws, rejects or hangs (quota, private mode, IndexedDB blocked or missing) is
 *   reported once as `ERR_STORAGE`; from then on this page uses `fallback` (memory by default).
 * - A value that cannot be decoded (a `SyntaxError` from a JSON store) is removed and reported;
 *   the store itself keeps being used.
 */
export interface GuardOptions {
  /** Receives every storage problem as an `ERR_STORAGE` AuthError. */
  report: (error: AuthError) => void
  /** Called once when the store is given up for this page. */
  onFallback?: (error: AuthError) => void
  /** What to use instead once the store failed. Default: memory. */
  fallback?: () => TokenStorage | NavigationAwareStorage
  /** Whether the app's store outlives the page (false for `'memory'`). Default true. */
  persistent?: boolean
  timeoutMs?: number
}

export function createGuardedStorage(inner: TokenStorage, options: GuardOptions): NavigationAwareStorage {
  const { report, onFallback, fallback = createMemoryStorage, persistent = true, timeoutMs = STORAGE_TIMEOUT_MS } = options
  let active: TokenStorage | NavigationAwareStorage = inner
  let fellBack = false
  // An IndexedDB open that is blocked never settles; a store that hangs counts as a failing one.
  const bounded = <T>(op: () => Promise<T>): Promise<T> =>
    active === inner ? withTimeout(op(), timeoutMs) : op()

  const fallBack = (op: string, cause: unknown) => {
    if (fellBack) return
    fellBack = true
    active = fallback()
    const error = new AuthError('ERR_STORAGE', `Token storage failed on ${op}; keeping the session in memory for this page`, { cause })
    console.warn(`tokenkeep: ${error.message}`)
    onFallback?.(error)
    report(error)
  }

  return {
    async get<T>(key: string) {
      try {
        return await bounded(() => active.get<T>(key))
      } catch (cause) {
        if (cause instanceof SyntaxError) {
          report(new AuthError('ERR_STORAGE', 'Discarded a stored record that could not be read', { cause }))
          await this.remove(key)
          return undefined
        }
        fallBack('read', cause)
        return active.get<T>(key)
      }
    },
    async set<T>(key: string, value: T) {
      try {
        await bounded(() => active.set(key, value))
      } catch (cause) {
        fallBack('write', cause)
        await active.set(key, value)
      }
    },
    async remove(key: string) {
      try {
        await bounded(() => active.remove(key))
      } catch (cause) {
        fallBack('remove', cause)
        await active.remove(key)
      }
    },
    // Whether a redirect login can come back to what was written under `key` on this page.
    persists(key: string) {
      if (!fellBack) return persistent
      return 'persists' in active ? active.persists(key) : false
    },
  }
}
