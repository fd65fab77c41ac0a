// The client's view of storage: the app's store (or a built-in one by name) behind the guard that
// turns failures into ERR_STORAGE and a fallback, opened once, and the keys of everything kept.
import { AuthError } from '../errors'
import { SESSION_UNREADABLE, STORAGE_FALLBACK } from '../logger'
import type { ResolvedOptions } from '../options'
import { parseSession, type Session } from '../session/session'
import { createFallbackStorage, type NavigationAwareStorage } from '../storage/fallbackStorage'
import { createGuardedStorage } from '../storage/guardedStorage'
import type { TokenStorage } from '../storage/tokenStorage'
import { localStore, sessionStore } from '../storage/webStorage'

/** Storage keys, namespaced by issuer + client id so two clients on one origin never collide. */
export interface StorageKeys {
  readonly session: string
  readonly metadata: string
  /** This tab's id (duplicate-tab detection, sessionStorage only). */
  readonly tab: string
  /** The pending RP-initiated logout: its `state` and where the provider sends the user back. */
  readonly logout: string
  tx(state: string): string
  /** state -> expiresAt of pending transactions, only so expired ones can be deleted later. */
  readonly txIndex: string
  /** Until when the provider asked every tab to wait (Retry-After), and with which error code. */
  readonly quiet: string
}

export interface ClientStorage {
  readonly keys: StorageKeys
  /** The guarded store, opened on first use. Never rejects. */
  open(): Promise<NavigationAwareStorage>
  /**
   * Whether what was last written under `key` survives a navigation (the trip to the provider).
   * False once storage failed and the value could only be kept in memory.
   */
  persists(key: string): boolean
  /** Set once storage failed for this page: stays on the snapshot, since nothing will persist. */
  degraded(): AuthError | null
  /** The stored session; a corrupt one is reported and removed. */
  readSession(): Promise<Session | undefined>
}

export function createClientStorage(opts: ResolvedOptions, report: (error: AuthError) => void): ClientStorage {
  const prefix = opts.keyPrefix
  const keys: StorageKeys = {
    session: `${prefix}session`,
    metadata: `${prefix}metadata`,
    tab: `${prefix}tab`,
    logout: `${prefix}logout`,
    tx: (state) => `${prefix}tx:${state}`,
    txIndex: `${prefix}tx-index`,
    quiet: `${prefix}quiet`,
  }
  // 'indexeddb' by name: its code starts loading now, with the client, not at the first read.
  const idb = opts.storage === 'indexeddb' ? import('../storage/indexedDbByName') : undefined
  idb?.catch(() => {})
  let opened: Promise<NavigationAwareStorage> | undefined
  let guard: NavigationAwareStorage | undefined
  let degraded: AuthError | null = null

  async function openStore(): Promise<NavigationAwareStorage> {
    const choice = opts.storage
    let inner: TokenStorage
    try {
      if (choice === 'session') inner = sessionStore()
      else if (choice === 'local') inner = localStore()
      // Tokens in memory, but a pending login must survive the trip to the provider and back:
      // transactions (PKCE verifier, state, nonce; no token) go to sessionStorage, this tab only.
      else if (choice === 'memory') inner = createFallbackStorage((key) => key.startsWith(keys.tx('')) || key === keys.logout)
      else if (choice === 'indexeddb') inner = (await idb!).defaultIndexedDbStore()
      else inner = choice
    } catch (cause) {
      inner = { get: () => Promise.reject(cause), set: () => Promise.reject(cause), remove: () => Promise.reject(cause) }
    }
    // Pending logins (and the pending logout) must survive the trip to the provider: after a
    // failure they go to sessionStorage when it works; everything else stays in memory.
    const travels = (key: string) => key.startsWith(keys.tx('')) || key === keys.logout
    return (guard = createGuardedStorage(inner, {
      report,
      onFallback: (error) => {
        degraded = error
        opts.log?.(STORAGE_FALLBACK, error.code)
      },
      fallback: () => createFallbackStorage(travels),
    }))
  }

  const open = () => (opened ??= openStore())

  return {
    keys,
    open,
    degraded: () => degraded,
    persists: (key) => guard?.persists(key) ?? true,
    async readSession() {
      const s = await open()
      const raw = await s.get<unknown>(keys.session)
      if (raw === undefined) return undefined
      const parsed = parseSession(raw)
      if (!parsed) {
        report(new AuthError('ERR_STORAGE', 'Discarded a stored session that is corrupt or from another version'))
        opts.log?.(SESSION_UNREADABLE)
        await s.remove(keys.session)
      }
      return parsed
    },
  }
}
