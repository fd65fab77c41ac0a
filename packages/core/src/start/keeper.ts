// Keeping the session: what a page load needs to show a stored session and keep it fresh. Restore
// it from storage, show it, end it, and know when it is due for renewal. Renewing it (the token
// request, under the tab lock) is protocol code: it is loaded when first needed (protocol/renewal).
import { AuthError, isAuthError, type AuthErrorCode } from '../errors'
import { SESSION_ENDED, SESSION_EXPIRED, SESSION_NONE, SESSION_RESTORED, REFRESH_RETRY, REFRESH_SCHEDULED } from '../logger'
import { nextRetryAt } from '../scheduler/retry'
import { createScheduler } from '../scheduler/scheduler'
import { isFresh, maxJitterFor, renewAfter, type Session } from '../session/session'
import type { ClientContext } from './context'
import type { Protocol } from './protocolApi'
import type { TabSync } from './tabSync'

/**
 * How a session ends: `'tab'` in this tab only (another tab already removed it from shared
 * storage), `'stored'` here and in storage, `'all'` here, in storage and in every other tab.
 */
export type EndScope = 'tab' | 'stored' | 'all'

export interface Keeper {
  /** The session this tab holds (the store owns it). */
  current(): Session | undefined
  /**
   * Shows `next` and schedules its renewal; `signIn` hands a login's appState to the snapshot;
   * `warning` (default: storage fell back, or none) replaces the current one.
   */
  adopt(next: Session, error?: AuthError | null, signIn?: { appState: unknown }, warning?: AuthError | null): void
  /**
   * Ends the session (`scope`: see {@link EndScope}); `error` says why (none: a logout). Callers
   * that share storage hold the tab lock. The DPoP key of `ended` goes with it.
   */
  end(error: AuthError | null, scope: EndScope, ended?: Session): Promise<void>
  /** Another tab ended the session; its message says why (logout or expiry): sign out without a reason only if none comes. */
  endedElsewhere(): void
  /** The newest session this tab can know of (storage or a message). */
  latest(): Promise<Session | undefined>
  /**
   * Shows the stored session, or signed out. `error` lands in the same transition: a failed
   * callback must never show "signed out, no error" first, or an app that logs in on that state
   * loops to the provider.
   */
  restore(error?: AuthError): Promise<void>
  /** A valid access token, renewed first when due (see AuthClient.getAccessToken). */
  token(options: { forceRefresh?: boolean }): Promise<string>
  /** Renews the session now (one renewal in flight per tab; once for all tabs under the lock). */
  renew(force: boolean): Promise<Session>
  /** start(): timers may be armed from now on; schedules the session's renewal. */
  run(): void
  /** stop(): no timers until run() again. */
  pause(): void
  /** Timers may have slept (focus, visibility, online, pageshow): look at the clock. */
  check(): void
  /** The network came back: the next failure starts the backoff from the beginning. */
  resetRetry(): void
  /** The provider asked for quiet (Retry-After) until `until`, this tab or another: kept for protocol/quiet. */
  heardQuiet(until: number, code: AuthErrorCode): void
  /** The longest quiet heard of so far (protocol/quiet decides whether it still holds). */
  quietHeard(): { until: number; code: AuthErrorCode } | undefined
}

const nobody = () => new AuthError('ERR_LOGIN_REQUIRED', 'Nobody is signed in')

export function createKeeper(ctx: ClientContext, tabs: TabSync, load: () => Promise<Protocol>, silent: boolean): Keeper {
  const { opts, store, storage, dpop } = ctx
  const { log, now, leewayMs } = opts
  const scheduler = createScheduler(now)
  const current = store.session
  /** Between start() and stop(): timers may be armed. */
  let running = false
  let renewing: Promise<Session> | undefined
  let attempt = 0
  /** The provider asked for quiet (Retry-After) until then: this tab, or another (see protocol/quiet). */
  let quiet: { until: number; code: AuthErrorCode } | undefined

  /** A refresh token, or silent authorization when the app enabled it. */
  const renewable = (s: Session) => s.refreshToken !== undefined || silent

  function schedule(s: Session): void {
    if (!running) return scheduler.cancel()
    // Nothing can renew this session: it ends when its access token does (see protocol/renewal).
    // Jitter spreads tabs and clients that restored the same session at the same moment.
    const can = renewable(s)
    const at = can ? renewAfter(s, leewayMs) + Math.random() * maxJitterFor(s, leewayMs) : s.expiresAt
    log?.(REFRESH_SCHEDULED, at, at - now(), can)
    scheduler.at(at, renewInBackground)
  }

  function renewInBackground(): void {
    renew(false).catch(() => {
      // Shown on the snapshot by renew; a transient failure has scheduled a retry.
    })
  }

  function adopt(next: Session, error: AuthError | null = null, signIn?: { appState: unknown }, warning: AuthError | null = storage.degraded()): void {
    store.dispatch({ type: 'session', session: next, error, warning, signIn })
    schedule(next)
  }

  async function end(error: AuthError | null, scope: EndScope, ended: Session | undefined = current()): Promise<void> {
    if (error) log?.(SESSION_ENDED, error.code)
    scheduler.cancel()
    if (scope !== 'tab') {
      await (await storage.open()).remove(storage.keys.session)
      if (dpop && ended) await (await dpop()).release(ended)
    }
    store.dispatch({ type: 'signedOut', error, warning: storage.degraded() })
    if (scope === 'all') tabs.post({ type: 'signedOut', code: error?.code })
  }

  /** A localStorage write from another tab process may not be visible yet when its message is. */
  async function latest(): Promise<Session | undefined> {
    const stored = await storage.readSession()
    const held = current()
    return !stored || (held && held.seq > stored.seq) ? held : stored
  }

  function check(): void {
    const s = current()
    if (!running || !s) return
    // Runs an overdue job: a renewal, or the end of a session that cannot be renewed.
    scheduler.check()
    if (renewable(s) && !isFresh(s, now(), leewayMs) && !renewing) renewInBackground()
  }

  /**
   * One renewal in flight per tab. The protocol renews under the tab lock (and ends the session
   * when the provider did); here, a transient failure (network, 5xx, the protocol code not
   * loading) keeps the session, shows the error, and schedules a retry (scheduler/retry: at most
   * 5 s apart while the token is valid, never past its last chance, never before a Retry-After).
   */
  function renew(force: boolean): Promise<Session> {
    return (renewing ??= (async () => {
      const before = current()
      if (!before) throw nobody()
      await tabs.ready()
      try {
        // Under the tab lock, the protocol sends nothing before a Retry-After (this tab's or
        // another's), even on demand: its error then plans the retry for that moment.
        const next = await (await load()).renew(before, force)
        attempt = 0
        return next
      } catch (e) {
        const error = isAuthError(e) ? e : new AuthError('ERR_REFRESH_FAILED', 'Refresh failed', { cause: e })
        const s = current()
        // Ended (by the provider, or in another tab): nothing to retry.
        if (!s) throw error
        // Transient: the session stays, so a warning (nothing is lost), and a retry.
        store.dispatch({ type: 'warning', error })
        attempt += 1
        const t = now()
        const { retryAfterMs } = error
        // A forced renewal of a token not yet due failed: the regular renewal still comes (a
        // retry now would find nothing due, and leave nothing scheduled).
        const at = Math.max(nextRetryAt({ now: t, attempt, expiresAt: s.expiresAt, retryAfterMs }), renewAfter(s, leewayMs))
        log?.(REFRESH_RETRY, Math.round(at - t), attempt, error.code)
        if (running) scheduler.at(at, renewInBackground)
        throw error
      }
    })().finally(() => {
      renewing = undefined
    }))
  }

  return {
    current,
    adopt,
    end,
    latest,
    renew,
    check,
    endedElsewhere() {
      scheduler.cancel()
      store.dispatch({ type: 'endedElsewhere' })
      setTimeout(() => {
        if (!current() && store.getSnapshot().status === 'authenticated') store.dispatch({ type: 'signedOut', warning: storage.degraded() })
      }, 1_000)
    },
    async restore(callbackError) {
      const stored = await storage.readSession()
      // Read after readSession(), which warns of a storage problem on the snapshot itself.
      const error = callbackError ?? store.getSnapshot().error
      // Tokens bound to a DPoP key that is gone: the session ends once, here, not at every refresh.
      const gone = stored && dpop && (await (await dpop()).check(stored))
      if (gone) return end(callbackError ?? gone, 'all', stored)
      // Worth keeping while its access token works or something can renew it (a refresh token, or
      // silent renewal, which then runs at once: a page opened after expiry stays signed in).
      if (stored && (now() < stored.expiresAt || renewable(stored))) {
        log?.(SESSION_RESTORED, stored.expiresAt - now(), stored.refreshToken !== undefined)
        adopt(stored, error)
      } else if (stored) {
        log?.(SESSION_EXPIRED)
        await end(error, 'stored', stored)
      } else {
        log?.(SESSION_NONE)
        store.dispatch({ type: 'signedOut', error })
      }
    },
    async token(options) {
      const s = current()
      if (!s) throw nobody()
      if (!options.forceRefresh && isFresh(s, now(), leewayMs)) return s.accessToken
      // Nothing can renew it: use it while it works; past expiry, the renewal ends the session.
      if (!renewable(s) && now() < s.expiresAt) return s.accessToken
      try {
        return (await renew(options.forceRefresh === true)).accessToken
      } catch (e) {
        // A transient failure inside the leeway still leaves a working token: use it.
        const left = current()
        if (!isAuthError(e, 'ERR_SESSION_EXPIRED') && left && now() < left.expiresAt) return left.accessToken
        throw e
      }
    },
    run() {
      running = true
      const s = current()
      if (s) schedule(s)
      check()
    },
    pause() {
      running = false
      scheduler.cancel()
    },
    resetRetry() {
      attempt = 0
    },
    heardQuiet(until, code) {
      if (!(quiet && quiet.until >= until)) quiet = { until, code }
    },
    quietHeard: () => quiet,
  }
}
