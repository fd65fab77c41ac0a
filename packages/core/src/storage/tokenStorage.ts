/**
 * The one storage contract for everything the client keeps: the session, pending authorization
 * transactions, cached provider metadata. Implement it to plug in your own store.
 *
 * Values must survive a round trip: web stores JSON-encode, IndexedDB keeps structured clones.
 * A method that throws or rejects is reported as `ERR_STORAGE` and the client falls back to
 * memory for the page.
 *
 * @example
 * ```ts
 * const map = new Map<string, unknown>()
 * const storage: TokenStorage = {
 *   async get(key) { return map.get(key) as never },
 *   async set(key, value) { map.set(key, value) },
 *   async remove(key) { map.delete(key) },
 * }
 * createAuthClient({ ...options, storage })
 * ```
 */
export interface TokenStorage {
  /** The value stored under `key`, or `undefined` when there is none. */
  get<T>(key: string): Promise<T | undefined>
  /** Stores `value` under `key`, replacing what was there. */
  set<T>(key: string, value: T): Promise<void>
  /** Deletes `key`; deleting a missing key is not an error. */
  remove(key: string): Promise<void>
}

/** The built-in stores by name. */
export type StorageName = 'session' | 'local' | 'indexeddb' | 'memory'
