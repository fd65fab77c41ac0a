import { createStore, del, get, set } from 'idb-keyval'
import type { TokenStorage } from './tokenStorage'

/**
 * A store in the origin's IndexedDB (its own database, `tokenkeep`), shared by every tab and
 * consistent across them. Values are structured clones, so non-extractable `CryptoKey`s survive.
 * The database is opened lazily, on first use.
 *
 * @example
 * ```ts
 * createAuthClient({ ...options, storage: 'indexeddb' })          // by name, loaded on demand
 * createAuthClient({ ...options, storage: indexedDbStore('my-db') }) // or as an object
 * ```
 */
export function indexedDbStore(dbName = 'tokenkeep', storeName = 'kv'): TokenStorage {
  const store = createStore(dbName, storeName)
  return {
    get: <T>(key: string) => get<T>(key, store),
    set: <T>(key: string, value: T) => set(key, value, store),
    remove: (key: string) => del(key, store),
  }
}
