// start() and stop(): the one-time restore (or, when the URL holds a provider's answer, the
// protocol's resume), and the listeners and timers that run between start() and stop().
import { hasBrowser, noBrowserError } from '../browserRuntime'
import { AuthError, isAuthError } from '../errors'
import { CALLBACK_PARAMS } from '../responseUrl'
import type { TabMessage } from '../tabs/channel'
import type { ClientContext } from './context'
import type { Keeper } from './keeper'
import type { Protocol } from './protocolApi'
import type { TabSync } from './tabSync'

export interface Lifecycle {
  start(): Promise<void>
  stop(): void
  /** Restores the session or finishes the redirect, once per client; later calls return the same promise. */
  ready(): Promise<void>
}

export interface LifecycleParts {
  readonly ctx: ClientContext
  readonly tabs: TabSync
  readonly keeper: Keeper
  readonly load: () => Promise<Protocol>
  readonly onTabMessage: (message: TabMessage) => void
}

const EVENTS = ['visibilitychange', 'focus', 'online', 'pageshow'] as const

/**
 * Runs `fn` when the browser is idle (Safari has no requestIdleCallback: soon, then). Called
 * without `this`, which Web IDL reads as the global object for both.
 */
const whenIdle = (fn: () => void) => void (globalThis.requestIdleCallback ?? setTimeout)(fn)

export function createLifecycle({ ctx, tabs, keeper, load, onTabMessage }: LifecycleParts): Lifecycle {
  const { store, report } = ctx
  /** A restore that threw (storage): shown, and start() still settles. */
  const failed = (e: unknown) => report(isAuthError(e) ? e : new AuthError('ERR_STORAGE', 'Reading the session failed', { cause: e }))
  let started: Promise<void> | undefined
  let detach: (() => void) | undefined

  /**
   * A URL with a `state`, `code` or `error` may be the provider's answer (a redirect login, or
   * the way back from its logout): that needs the protocol. Any other page needs only storage.
   */
  async function resume(): Promise<void> {
    const url = new URL(location.href)
    if (!['state', 'code', 'error'].some((p) => url.searchParams.has(p))) return keeper.restore()
    let protocol: Protocol
    try {
      protocol = await load()
    } catch (e) {
      if (!isAuthError(e)) throw e
      // The answer cannot be processed without the protocol code: its code must not linger in
      // the address bar anyway; the session, if any, is kept.
      const clean = new URL(url.href)
      for (const p of CALLBACK_PARAMS) clean.searchParams.delete(p)
      history.replaceState(history.state, '', clean.pathname + clean.search + clean.hash)
      return keeper.restore(e)
    }
    await protocol.resume(url)
  }

  const ready = () =>
    (started ??= (async () => {
      // No page to restore a session in or come back to (a server render): say so and settle.
      if (!hasBrowser()) return store.dispatch({ type: 'signedOut', error: noBrowserError('start()') })
      try {
        // A duplicated tab must give up the copied refresh token before anything can use it.
        await tabs.checkDuplicate()
        await resume()
      } catch (e) {
        failed(e)
      }
      // A renewal must never wait on a download, and a tab opened before a redeploy must already
      // hold the code it needs: load the protocol once the page is idle.
      whenIdle(() => void load().catch(() => {}))
    })())

  /**
   * The page came back from the back/forward cache: a logout it left for is over, and the
   * session is read from storage again (restored, renewed when due, or gone).
   */
  async function resync(): Promise<void> {
    store.dispatch({ type: 'logoutEnded' })
    try {
      await keeper.restore()
    } catch (e) {
      failed(e)
    }
    keeper.check()
  }

  function onEvent(event: Event): void {
    if (event.type === 'visibilitychange' && document.visibilityState !== 'visible') return
    if (event.type === 'online') keeper.resetRetry()
    // Back/forward cache: the page was frozen, maybe mid-logout, while other tabs (or the
    // provider) changed the session. Read it again before anything trusts the old snapshot.
    if (event.type === 'pageshow' && (event as PageTransitionEvent).persisted) void resync()
    else keeper.check()
  }

  function attach(): void {
    if (detach) return
    const unsubscribe = tabs.listen(onTabMessage)
    const target = (type: string) => (type === 'visibilitychange' ? document : window)
    for (const type of EVENTS) target(type).addEventListener(type, onEvent)
    detach = () => {
      unsubscribe()
      for (const type of EVENTS) target(type).removeEventListener(type, onEvent)
      detach = undefined
    }
  }

  return {
    ready,
    /**
     * The first call restores the session or finishes the redirect; later calls (after `stop()`,
     * as React StrictMode does on mount/unmount/mount) only re-arm timers and listeners. Running
     * the callback twice would flash a signed-out state, or exchange one code twice.
     */
    start() {
      // Without a browser there are no listeners to attach and nothing to schedule.
      if (!hasBrowser()) return ready()
      attach()
      const done = ready()
      // Stopped meanwhile (unmounted during start): the timers wait for the next start().
      void done.then(() => detach && keeper.run())
      return done
    },
    stop() {
      keeper.pause()
      detach?.()
    },
  }
}
