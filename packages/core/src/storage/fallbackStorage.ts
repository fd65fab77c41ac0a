import { createMemoryStorage } from './memoryStorage'
import type { TokenStorage } from './tokenStorage'
import { sessionStore } from './webStorage'

/**
 * Where the client keeps things once the app's store has failed: memory for the page, except
 * pending-login transactions, which go to sessionStorage when it works, because a redirect login
 * must survive the trip to the provider and back. The session itself stays in memory, so a
 * broken store never makes tokens outlive the page.
 */
export function createFallbackStorage(isTransactionKey: (key: string) => boolean): TokenStorage {
  const memory = createMemoryStorage()
  const tab = sessionStore()
  const pick = async <T>(key: string, op: (s: TokenStorage) => Promise<T>): Promise<T> => {
    if (isTransactionKey(key)) {
      try {
        return await op(tab)
      } catch {
        // sessionStorage is unusable too (it may be the store that failed): memory it is.
      }
    }
    return op(memory)
  }
  return {
    get: <T>(key: string) => pick(key, (s) => s.get<T>(key)),
    set: <T>(key: string, value: T) => pick(key, (s) => s.set(key, value)),
    remove: (key: string) => pick(key, (s) => s.remove(key)),
  }
}
