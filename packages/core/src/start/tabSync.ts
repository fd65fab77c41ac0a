// Tab sync: the cross-tab lock and channel, the duplicated-tab check, and what this tab does with
// the messages of others.
import { AuthError, type AuthErrorCode } from '../errors'
import type { ResolvedOptions } from '../options'
import { parseSession, type Session } from '../session/session'
import type { Store } from '../store'
import { broadcastChannel, type TabMessage } from '../tabs/channel'
import { claimForPageLifetime, noLock, webLock } from '../tabs/lock'
import { TAB_DUPLICATE, TAB_SESSION, TAB_SIGNED_OUT, type Log } from '../logger'
import type { ClientStorage } from './clientStorage'

export interface TabSync {
  /** Every tab reads the same store; for per-tab stores ('session', 'memory'), other tabs' sessions are not ours. */
  readonly shared: boolean
  /** Runs `fn` under this issuer + client's cross-tab lock (no lock for per-tab stores). */
  withLock<T>(fn: () => Promise<T>): Promise<T>
  post(message: TabMessage): void
  /** Listens to other tabs; returns the function that stops listening. */
  listen(handler: (message: TabMessage) => void): () => void
  /** Runs the duplicated-tab check once; `ready()` settles when it is done. */
  checkDuplicate(): Promise<void>
  /** Nothing may use a refresh token before this settles. */
  ready(): Promise<void>
}

export function createTabSync(opts: ResolvedOptions, storage: ClientStorage): TabSync {
  const shared = opts.storage !== 'session' && opts.storage !== 'memory'
  const lockName = `tokenkeep:${opts.keyPrefix}`
  // Per-tab stores need no cross-tab lock: no other tab holds this tab's refresh token.
  const lock = shared ? (opts.tabs.lock ?? webLock() ?? noLock) : noLock
  const channel = opts.tabs.channel ?? broadcastChannel(lockName)
  let checked: Promise<void> = Promise.resolve()

  /**
   * sessionStorage is copied into a duplicated tab, rotating refresh token included. Each tab
   * keeps an id in sessionStorage and holds a Web Lock named after it for its lifetime; a tab
   * that finds its id's lock taken is the copy: it takes a new id and drops the refresh token,
   * so only the original ever uses it. The copy keeps its access token until it expires.
   */
  async function dropCopiedRefreshToken(): Promise<void> {
    if (opts.storage !== 'session') return
    const s = await storage.open()
    const key = storage.keys.tab
    let id = await s.get<unknown>(key)
    if (typeof id === 'string' && (await claimForPageLifetime(`${lockName}tab:${id}`)) !== false) return
    const copied = typeof id === 'string'
    id = crypto.randomUUID()
    await s.set(key, id)
    await claimForPageLifetime(`${lockName}tab:${id}`)
    if (!copied) return
    const stored = await storage.readSession()
    opts.log?.(TAB_DUPLICATE, stored?.refreshToken !== undefined)
    if (stored?.refreshToken !== undefined) {
      const { refreshToken: _dropped, ...withoutRefresh } = stored
      // The DPoP key stays the original tab's: this copy may use it, never delete it.
      await s.set(storage.keys.session, stored.dpopKey === undefined ? withoutRefresh : { ...withoutRefresh, dpopKeyBorrowed: true })
    }
  }

  return {
    shared,
    withLock: (fn) => lock(lockName, fn),
    post: (message) => channel.post(message),
    listen: (handler) => channel.subscribe(handler),
    checkDuplicate() {
      checked = dropCopiedRefreshToken().catch(() => {})
      return checked
    },
    ready: () => checked,
  }
}

/** What the tab-message handler may do to this tab's session (the keeper does it; see start/keeper). */
export interface TabSessionView {
  current(): Session | undefined
  adopt(next: Session): void
  /** `'tab'`: in this tab only (another tab already removed it); `'stored'`: here and in this tab's own storage. */
  end(error: AuthError | null, scope: 'tab' | 'stored'): Promise<void>
  /** Another tab was told by the provider to wait until `until` (Retry-After). */
  heardQuiet(until: number, code: AuthErrorCode): void
}

/** The reasons another tab may give for ending the session; anything else is a logout. */
const ENDED: readonly (string | undefined)[] = ['ERR_SESSION_EXPIRED', 'ERR_LOGIN_REQUIRED', 'ERR_DPOP_KEY']

/** Messages in: another tab renewed, signed in, or ended the session. */
export function tabMessageHandler(
  tabs: TabSync,
  store: Store,
  keeper: TabSessionView,
  revoke: (ended: Session | undefined) => Promise<void>,
  log?: Log,
): (message: TabMessage) => void {
  return (message) => {
    const current = keeper.current()
    // The provider's quiet is for every tab, per-tab stores included: it is one provider.
    if (message.type === 'quiet') return keeper.heardQuiet(message.until, message.code)
    if (message.type === 'session') {
      const next = parseSession(message.session)
      if (!tabs.shared || !next || (current && next.seq <= current.seq)) return
      log?.(TAB_SESSION, next.seq)
      keeper.adopt(next)
    } else if (current || store.getSnapshot().status === 'authenticated') {
      // A code says why the session ended (the provider ended it, or it expired with nothing to
      // renew it); no code means a logout.
      const code =
        ENDED.includes(message.code as AuthErrorCode) ? (message.code as AuthErrorCode) : undefined
      // A per-tab session ends with a logout anywhere, but not because another tab's token died.
      if (!tabs.shared && code) return
      log?.(TAB_SIGNED_OUT, code)
      const error = code ? new AuthError(code, 'The session ended in another tab') : null
      // Shared storage: the other tab removed the session already. Per tab: ours is our own.
      if (tabs.shared) void keeper.end(error, 'tab')
      else void keeper.end(error, 'stored').then(() => revoke(current))
    }
  }
}
