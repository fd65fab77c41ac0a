import { createMemoryStorage } from './memoryStorage'
import type { TokenStorage } from './tokenStorage'
import { sessionStore } from './webStorage'

/** A store that can say whether what it holds under a key survives a navigation in this tab. */
export interface NavigationAwareStorage extends TokenStorage {
  /**
   * True when the value last written under `key` on this page went somewhere that outlives the
   * page (a redirect to the provider and back). False for values kept in memory.
   */
  persists(key: string): boolean
}

/** The probe key: written, read back and removed once, to see whether sessionStorage works both ways. */
const PROBE_KEY = 'tk:probe'

/**
 * Where the client keeps things once the app's store has failed: memory for the page, except
 * pending-login transactions, which go to sessionStorage when it works, because a redirect login
 * must survive the trip to the provider and back. The session itself stays in memory, so a
 * broken store never makes tokens outlive the page.
 *
 * Every key is read from, and removed from, the place its last write went to: a store that
 * refuses writes but still answers reads (quota full or zero) must never hand back an older copy
 * than the one just written to memory. sessionStorage is used for transactions only after a
 * write + read round trip through it succeeded, so a store whose reads fail is not written to.
 */
export function createFallbackStorage(
  isTransactionKey: (key: string) => boolean,
  tab: TokenStorage = sessionStore(),
): NavigationAwareStorage {
  const memory = createMemoryStorage()
  /** Keys whose last write on this page went to sessionStorage, or to memory. */
  const inTab = new Set<string>()
  const inMemory = new Set<string>()
  let tabWorks: Promise<boolean> | undefined

  const quietly = async (op: () => Promise<unknown>) => {
    try {
      await op()
    } catch {
      // sessionStorage failing here changes nothing: the value's home is memory.
    }
  }

  const probe = (): Promise<boolean> =>
    (tabWorks ??= (async () => {
      try {
        const token = crypto.randomUUID()
        await tab.set(PROBE_KEY, token)
        return (await tab.get<string>(PROBE_KEY)) === token
      } catch {
        return false
      } finally {
        await quietly(() => tab.remove(PROBE_KEY))
      }
    })())

  return {
    async get<T>(key: string) {
      if (!isTransactionKey(key) || inMemory.has(key)) return memory.get<T>(key)
      try {
        // Written to sessionStorage on this page, or by the page that started the redirect.
        return await tab.get<T>(key)
      } catch {
        return memory.get<T>(key)
      }
    },
    async set<T>(key: string, value: T) {
      if (isTransactionKey(key) && (await probe())) {
        try {
          await tab.set(key, value)
          inTab.add(key)
          inMemory.delete(key)
          await memory.remove(key)
          return
        } catch {
          // Full after all (this value is larger than the probe): memory, and say so in persists().
        }
      }
      await memory.set(key, value)
      inMemory.add(key)
      inTab.delete(key)
      // An older copy in sessionStorage must not come back on the next page load.
      if (isTransactionKey(key)) await quietly(() => tab.remove(key))
    },
    async remove(key: string) {
      inTab.delete(key)
      inMemory.delete(key)
      await memory.remove(key)
      if (isTransactionKey(key)) await quietly(() => tab.remove(key))
    },
    persists: (key) => inTab.has(key),
  }
}
