// The target of the dynamic import behind `storage: 'indexeddb'`. Not the module index.ts
// re-exports (indexedDbStorage.ts): esbuild, splitting code, puts a dynamically imported module that
// the entry also reaches statically into a chunk the entry loads at start, idb-keyval with it.
import { createStore, del, get, set } from 'idb-keyval'
import type { TokenStorage } from './tokenStorage'

/** `indexedDbStore()` with its defaults (see indexedDbStorage.ts). */
export function defaultIndexedDbStore(): TokenStorage {
  const store = createStore('tokenkeep', 'kv')
  return {
    get: <T>(key: string) => get<T>(key, store),
    set: <T>(key: string, value: T) => set(key, value, store),
    remove: (key: string) => del(key, store),
  }
}
