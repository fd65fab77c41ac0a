import type { TokenStorage } from './tokenStorage'

/**
 * A store that lives as long as the page. Values are structured-cloned in and out, so callers
 * can never mutate what is stored (the same guarantee IndexedDB gives).
 */
export function createMemoryStorage(): TokenStorage {
  const map = new Map<string, unknown>()
  return {
    async get<T>(key: string) {
      return map.has(key) ? (structuredClone(map.get(key)) as T) : undefined
    },
    async set<T>(key: string, value: T) {
      map.set(key, structuredClone(value))
    },
    async remove(key: string) {
      map.delete(key)
    },
  }
}
