import type { TokenStorage } from './tokenStorage'

/**
 * A store over `sessionStorage` or `localStorage`, JSON-encoded. The area is looked up on first
 * use, not at import, so importing stays SSR-safe. A value that does not parse is reported by
 * the rejected promise (the client turns it into `ERR_STORAGE` and discards it).
 */
export function createWebStorage(area: () => Storage): TokenStorage {
  return {
    async get<T>(key: string) {
      const raw = area().getItem(key)
      return raw === null ? undefined : (JSON.parse(raw) as T)
    },
    async set<T>(key: string, value: T) {
      area().setItem(key, JSON.stringify(value))
    },
    async remove(key: string) {
      area().removeItem(key)
    },
  }
}

/** Per-tab store: gone when the tab closes; a duplicated tab gets a copy. */
export function sessionStore(): TokenStorage {
  return createWebStorage(() => globalThis.sessionStorage)
}

/** Origin-wide store that outlives the browser session. Readable by any script on the origin. */
export function localStore(): TokenStorage {
  return createWebStorage(() => globalThis.localStorage)
}
