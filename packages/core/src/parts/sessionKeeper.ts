// The session keeper: the one session this tab holds, and everything that changes it: adopting a
// sign-in, restoring from storage, forgetting, and renewing it in time, once for all tabs.
import { AuthError, isAuthError } from '../errors'
import type { Transaction } from '../flows/authorize'
import type { CodeExchangeResult } from '../flows/callback'
import { toAuthError } from '../flows/oauthError'
import { refreshGrant } from '../flows/refresh'
import { nextRetryAt } from '../scheduler/retry'
import { createScheduler } from '../scheduler/scheduler'
import { isFresh, maxJitterFor, parseSession, renewAfter, sessionFromTokens, type Session } from '../session/session'
import type { ClientContext } from './context'
import type { TabSessionView, TabSync } from './tabSync'
import { createUserinfo } from './userinfo'
import { LOCK_WAITED, REFRESH_ADOPTED, REFRESH_DONE, REFRESH_RETRY, REFRESH_SCHEDULED, REFRESH_START, SESSION_ENDED, SESSION_EXPIRED, SESSION_NONE, SESSION_RESTORED, SIGNED_IN } from '../logger'

export interface SessionKeeper extends TabSessionView {
  /**
   * Adopts a new sign-in: adds userinfo when asked, stores it (its sequence number continues the
   * stored one), hands the transaction's appState to the snapshot and tells the other tabs. The replaced session's DPoP key goes.
   */
  signedIn(result: CodeExchangeResult, tx: Transaction): Promise<void>
  /**
   * Shows the stored session, or signed out. `error` lands in the same transition: a failed
   * callback must never show "signed out, no error" first, or an app that logs in on that state
   * loops to the provider.
   */
  restore(error?: AuthError): Promise<void>
  /** The newest session this tab can know of (storage or a message). */
  latest(): Promise<Session | undefined>
  /** A valid access token, renewed first when due (see AuthClient.getAccessToken). */
  accessToken(options: { forceRefresh?: boolean }): Promise<string>
  /** start(): timers may be armed from now on. */
  run(): void
  /** stop(): no timers until run() again. */
  pause(): void
  /** Re-arms the renewal timer after start() and looks at the clock. */
  rearm(): void
  /** Lifecycle events (focus, visibility, online, pageshow): timers may have slept; look at the clock. */
  wake(): void
  /** The network came back: the next failure starts the backoff from the beginning. */
  resetRetry(): void
}

export function createSessionKeeper(
  ctx: ClientContext,
  tabs: TabSync,
  silentRenew: (() => Promise<CodeExchangeResult>) | undefined,
): SessionKeeper {
  const { opts, store, storage, client, metadata, dpop, tokenHttp } = ctx
  const { keys } = storage
  const log = opts.log
  const addUserinfo = createUserinfo(ctx)
  const scheduler = createScheduler(opts.now)
  let session: Session | undefined
  /** Between start() and stop(): timers may be armed. */
  let running = false
  let refreshPromise: Promise<Session> | undefined
  let retryAttempt = 0
  /** The provider asked for quiet (Retry-After) until then; its last error, answered meanwhile. */
  let quiet: { until: number; error: AuthError } | undefined

  /** A session to show: its `warning` (default: storage fell back, or none) replaces the current one. */
  function adopt(next: Session, error: AuthError | null = null, signIn?: { appState: unknown }, warning: AuthError | null = storage.degraded()): void {
    session = next
    store.dispatch({ type: 'session', session: next, error, warning, ...(signIn ? { signIn } : {}) })
    schedule(next)
  }

  function drop(error: AuthError | null): void {
    session = undefined
    scheduler.cancel()
    store.dispatch({ type: 'signedOut', error, warning: storage.degraded() })
  }

  /** Forgets the session here and in storage, its DPoP key too. Callers that share storage hold the tab lock. */
  async function forget(error: AuthError | null = null, ended: Session | undefined = session): Promise<void> {
    if (error) log?.(SESSION_ENDED, error.code)
    session = undefined
    scheduler.cancel()
    await (await storage.open()).remove(keys.session)
    if (dpop && ended) await (await dpop()).release(ended)
    store.dispatch({ type: 'signedOut', error, warning: storage.degraded() })
  }

  /** A localStorage write from another tab process may not be visible yet when its message is. */
  async function latest(): Promise<Session | undefined> {
    const stored = await storage.readSession()
    if (!stored) return session
    if (!session) return stored
    return stored.seq >= session.seq ? stored : session
  }

  /** A refresh token, or silent authorization when the app enabled it. */
  const canRenew = (s: Session) => s.refreshToken !== undefined || silentRenew !== undefined

  function schedule(s: Session): void {
    if (!running) return scheduler.cancel()
    // Nothing can renew this session: it ends when its access token does (see renew).
    // Jitter spreads tabs and clients that restored the same session at the same moment.
    const renewable = canRenew(s)
    const at = renewable ? renewAfter(s, opts.leewayMs) + Math.random() * maxJitterFor(s, opts.leewayMs) : s.expiresAt
    log?.(REFRESH_SCHEDULED, at, at - opts.now(), renewable)
    scheduler.at(at, backgroundRefresh)
  }

  function backgroundRefresh(): void {
    refresh(false).catch(() => {
      // Reported on the snapshot by renew; a transient failure has scheduled a retry.
    })
  }

  function wake(): void {
    if (!running || !session) return
    // Runs an overdue job: a renewal, or the end of a session that cannot be renewed.
    scheduler.check()
    if (session && canRenew(session) && !isFresh(session, opts.now(), opts.leewayMs) && !refreshPromise) backgroundRefresh()
  }

  /** One refresh in flight per tab. */
  function refresh(force: boolean): Promise<Session> {
    refreshPromise ??= renew(force).finally(() => {
      refreshPromise = undefined
    })
    return refreshPromise
  }

  /** Another tab ended the session; its message says why (logout or expiry): sign out without a reason only if none comes. */
  function endedElsewhere(): void {
    session = undefined
    scheduler.cancel()
    setTimeout(() => {
      if (!session && store.getSnapshot().status === 'authenticated') store.dispatch({ type: 'signedOut', warning: storage.degraded() })
    }, 1_000)
  }

  /** Ends the session in every tab, saying why. */
  async function end(error: AuthError): Promise<never> {
    await forget(error)
    tabs.post({ type: 'signedOut', code: error.code })
    throw error
  }

  /**
   * One refresh for all tabs: under the tab lock, re-read storage first; if another tab already
   * renewed the session, use its tokens and send nothing. The rotated refresh token is stored
   * with its access token in one record. Without a refresh token the session is renewed by
   * silent authorization when enabled, or else ends here once its access token has expired.
   */
  async function renew(force: boolean): Promise<Session> {
    const before = session
    if (!before) throw new AuthError('ERR_LOGIN_REQUIRED', 'There is no session to renew')
    await tabs.ready()
    // The provider said when to come back (Retry-After): no request before then, even on demand.
    if (quiet && opts.now() < quiet.until) throw quiet.error
    const asked = opts.now()
    return tabs.withLock(async () => {
      log?.(LOCK_WAITED, opts.now() - asked)
      const found = await latest()
      if (!found) {
        endedElsewhere()
        throw new AuthError('ERR_LOGIN_REQUIRED', 'The session ended in another tab')
      }
      if (found.seq > before.seq) {
        // Another tab renewed while we waited for the lock: use its tokens, send nothing.
        log?.(REFRESH_ADOPTED, found.seq)
        adopt(found)
        if (force ? opts.now() < found.expiresAt : opts.now() < renewAfter(found, opts.leewayMs)) return found
      } else if (!force && opts.now() < renewAfter(found, opts.leewayMs)) {
        return found
      }
      const { refreshToken } = found
      if (refreshToken === undefined && !silentRenew) {
        // Nothing can renew it: the token is used while it works, then the session ends, once,
        // in every tab, rather than showing 'authenticated' with a dead token.
        if (opts.now() < found.expiresAt) return found
        const why = 'The access token expired and the session cannot be renewed (no refresh token was issued and refresh.silent is not set); sign in again'
        return end(new AuthError('ERR_LOGIN_REQUIRED', why))
      }
      try {
        log?.(REFRESH_START, refreshToken === undefined)
        const { tokens, claims, sentAt } =
          refreshToken === undefined
            ? await silentRenew!()
            : await refreshGrant(await metadata(), client, await tokenHttp(found.dpopKey), refreshToken, ctx.verifySignature, found.resource)
        if (claims && claims.sub !== found.claims.sub) {
          // Silently, the provider answers for whoever is signed in there now: our user is not.
          throw refreshToken === undefined
            ? new AuthError('ERR_SESSION_EXPIRED', 'The provider is now signed in as a different user; sign in again')
            : new AuthError('ERR_ID_TOKEN', 'The refreshed ID token names a different user')
        }
        let next = sessionFromTokens(tokens, claims, sentAt ?? opts.now(), found)
        // The new tokens are kept whatever userinfo answers: a rotated refresh token must not be lost.
        let userinfoError: AuthError | undefined
        if (addUserinfo && opts.userinfo?.afterRefresh) next = await addUserinfo(next).catch((e: AuthError) => ((userinfoError = e), next))
        await (await storage.open()).set(keys.session, next)
        retryAttempt = 0
        quiet = undefined
        log?.(REFRESH_DONE, next.expiresAt - opts.now(), next.refreshToken !== refreshToken)
        adopt(next, null, undefined, userinfoError ?? storage.degraded())
        tabs.post({ type: 'session', session: next })
        return next
      } catch (e) {
        const error = toAuthError(e, 'ERR_REFRESH_FAILED', 'Refresh')
        const { code, retryAfterMs } = error
        // A DPoP key that is gone cannot come back: like a dead grant, the session ends once.
        if (isAuthError(error, 'ERR_SESSION_EXPIRED') || isAuthError(error, 'ERR_DPOP_KEY')) return end(error)
        // Transient: keep the session, warn (nothing is lost), retry (scheduler/retry: at most 5 s
        // apart while the token is valid, never past its last chance, never before a Retry-After).
        store.dispatch({ type: 'warning', error })
        retryAttempt += 1
        const now = opts.now()
        const at = nextRetryAt({ now, attempt: retryAttempt, expiresAt: found.expiresAt, retryAfterMs })
        quiet = retryAfterMs === undefined ? undefined : { until: now + retryAfterMs, error }
        // A forced renewal of a token not yet due failed: the regular renewal still comes (a
        // retry now would find nothing due, and leave nothing scheduled).
        const next = Math.max(at, renewAfter(found, opts.leewayMs))
        log?.(REFRESH_RETRY, Math.round(next - now), retryAttempt, code)
        if (running) scheduler.at(next, backgroundRefresh)
        throw error
      }
    })
  }

  return {
    current: () => session,
    adopt,
    drop,
    forget,
    latest,
    async signedIn({ tokens, claims, sentAt }, tx) {
      const s = await storage.open()
      // A new sign-in replaces whatever was stored; its sequence number continues the stored one.
      const previous = parseSession(await s.get<unknown>(keys.session))
      const bound = tx.dpopKey === undefined ? {} : { dpopKey: tx.dpopKey }
      let next: Session = { ...sessionFromTokens(tokens, claims, sentAt ?? opts.now()), seq: (previous?.seq ?? 0) + 1, ...(tx.resource ? { resource: tx.resource } : {}), ...bound }
      if (addUserinfo) next = await addUserinfo(next)
      await s.set(keys.session, next)
      if (dpop && tx.dpopKey !== undefined) await (await dpop()).claim(tx.dpopKey, previous?.dpopKey)
      log?.(SIGNED_IN, tx.mode, next.userinfo !== undefined)
      adopt(next, null, { appState: tx.appState })
      // Other tabs learn of the sign-in from the token set itself (see tabs/channel).
      tabs.post({ type: 'session', session: next })
    },
    async restore(callbackError) {
      const stored = await storage.readSession()
      // Read after readSession(), which warns of a storage problem on the snapshot itself.
      const error = callbackError ?? store.getSnapshot().error
      // Tokens bound to a DPoP key that is gone: the session ends once, here, not at every refresh.
      const gone = stored && dpop && (await (await dpop()).check(stored))
      if (gone) {
        await forget(callbackError ?? gone, stored)
        tabs.post({ type: 'signedOut', code: gone.code })
        return
      }
      // Worth keeping while its access token works or something can renew it (a refresh token, or
      // silent renewal, which then runs at once: a page opened after expiry stays signed in).
      if (stored && (opts.now() < stored.expiresAt || canRenew(stored))) {
        log?.(SESSION_RESTORED, stored.expiresAt - opts.now(), stored.refreshToken !== undefined)
        adopt(stored, error)
      } else if (stored) {
        log?.(SESSION_EXPIRED)
        await forget(error, stored)
      } else {
        log?.(SESSION_NONE)
        session = undefined
        store.dispatch({ type: 'signedOut', error })
      }
    },
    async accessToken(options) {
      const current = session
      if (!current) throw new AuthError('ERR_LOGIN_REQUIRED', 'Nobody is signed in')
      if (!options.forceRefresh && isFresh(current, opts.now(), opts.leewayMs)) return current.accessToken
      // Nothing can renew it: use it while it works; past expiry, renew() ends the session.
      if (!canRenew(current) && opts.now() < current.expiresAt) return current.accessToken
      try {
        return (await refresh(options.forceRefresh === true)).accessToken
      } catch (e) {
        // A transient failure inside the leeway still leaves a working token: use it.
        if (!isAuthError(e, 'ERR_SESSION_EXPIRED') && session && opts.now() < session.expiresAt) return session.accessToken
        throw e
      }
    },
    run() {
      running = true
    },
    pause() {
      running = false
      scheduler.cancel()
    },
    rearm() {
      if (running && session) schedule(session)
      wake()
    },
    wake,
    resetRetry() {
      retryAttempt = 0
    },
  }
}
