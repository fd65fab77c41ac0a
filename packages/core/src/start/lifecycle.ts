// start() and stop(): the one-time restore (or redirect callback), and the listeners and timers
// that run between start() and stop().
import { hasBrowser, noBrowserError } from '../browserRuntime'
import { toAuthError } from '../protocol/flows/oauthError'
import type { TabMessage } from '../tabs/channel'
import type { ClientContext } from './context'
import type { Logout } from '../protocol/logout'
import type { RedirectLogin } from '../protocol/redirectLogin'
import type { SessionKeeper } from './keeper'
import type { TabSync } from './tabSync'

export interface Lifecycle {
  start(): Promise<void>
  stop(): void
  /** Restores the session or finishes the redirect, once per client; later calls return the same promise. */
  ready(): Promise<void>
}

const EVENTS = ['visibilitychange', 'focus', 'online', 'pageshow'] as const

export function createLifecycle(
  ctx: ClientContext,
  tabs: TabSync,
  keeper: SessionKeeper,
  redirect: RedirectLogin,
  logout: Pick<Logout, 'returned'>,
  onTabMessage: (message: TabMessage) => void,
): Lifecycle {
  let started: Promise<void> | undefined
  let detach: (() => void) | undefined

  const ready = () =>
    (started ??= (async () => {
      // No page to restore a session in or come back to (a server render): say so and settle.
      if (!hasBrowser()) return ctx.store.dispatch({ type: 'signedOut', error: noBrowserError('start()') })
      try {
        // A duplicated tab must give up the copied refresh token before anything can use it.
        await tabs.checkDuplicate()
        // Back from RP-initiated logout: its `state` checked and removed first.
        const { url, error } = await logout.returned(new URL(location.href))
        await redirect.resume(url, error)
      } catch (e) {
        ctx.report(toAuthError(e, 'ERR_STORAGE', 'Start'))
      }
    })())

  /**
   * The page came back from the back/forward cache: a logout it left for is over, and the
   * session is read from storage again (restored, renewed when due, or gone).
   */
  async function resync(): Promise<void> {
    ctx.store.dispatch({ type: 'logoutEnded' })
    try {
      await keeper.restore()
    } catch (e) {
      ctx.report(toAuthError(e, 'ERR_STORAGE', 'Restore'))
    }
    keeper.wake()
  }

  function onEvent(event: Event): void {
    if (event.type === 'visibilitychange' && document.visibilityState !== 'visible') return
    if (event.type === 'online') keeper.resetRetry()
    // Back/forward cache: the page was frozen, maybe mid-logout, while other tabs (or the
    // provider) changed the session. Read it again before anything trusts the old snapshot.
    if (event.type === 'pageshow' && (event as PageTransitionEvent).persisted) void resync()
    else keeper.wake()
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
      keeper.run()
      attach()
      const done = ready()
      void done.then(() => keeper.rearm())
      return done
    },
    stop() {
      keeper.pause()
      detach?.()
    },
  }
}
