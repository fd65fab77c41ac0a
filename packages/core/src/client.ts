import type * as oauth from 'oauth4webapi'
import { AuthError, isAuthError, optionError } from './errors'
import { createAuthorizationRequest, parseTransaction, type Transaction } from './flows/authorize'
import { CALLBACK_PARAMS, callbackState, exchangeCode, type CodeExchangeResult } from './flows/callback'
import { discover } from './flows/discovery'
import type { HttpOptions } from './flows/http'
import type { IdTokenSignatureCheck } from './flows/idTokenSignature'
import { endSessionUrl, revokeToken } from './flows/logout'
import { toAuthError } from './flows/oauthError'
import { refreshGrant } from './flows/refresh'
import { resolveOptions, type AuthClientOptions } from './options'
import { backoffMs } from './scheduler/backoff'
import { createScheduler } from './scheduler/scheduler'
import { isFresh, maxJitterFor, parseSession, renewAfter, sessionFromTokens, type Session } from './session/session'
import { createStore, type AuthSnapshot } from './store'
import { createFallbackStorage } from './storage/fallbackStorage'
import { createGuardedStorage } from './storage/guardedStorage'
import { createMemoryStorage } from './storage/memoryStorage'
import type { TokenStorage } from './storage/tokenStorage'
import { localStore, sessionStore } from './storage/webStorage'
import { broadcastChannel, type Channel, type TabMessage } from './tabs/channel'
import { claimForPageLifetime, noLock, webLock, type Lock } from './tabs/lock'

/** Options of {@link AuthClient.login}. */
export interface LoginOptions {
  /**
   * Same-origin path (with query and hash) to land on after signing in. Default: the current
   * page. Anything that resolves to another origin is refused (no open redirects).
   */
  returnTo?: string
  /** Extra authorization parameters for this request (`prompt`, `login_hint`, ...). */
  authorizationParams?: Readonly<Record<string, string>>
  /**
   * Log in in a popup instead of leaving the page (needs the client's `popup: popupLogin(...)`).
   * `true` opens the window; a `Window` you opened yourself is used as it is (show `about:blank`
   * or a page of your origin in it); `null` (what `window.open` returns when blocked) counts as a
   * blocked popup. `returnTo` does not apply: the page stays where it is.
   */
  popup?: boolean | Window | null
}

/** Options of {@link AuthClient.logout}. */
export interface LogoutOptions {
  /** Only forget the session in this browser; do not visit the provider. Default false. */
  localOnly?: boolean
  /** Overrides `postLogoutRedirectUri` for this call. */
  postLogoutRedirectUri?: string
  /**
   * Send the ID token as `id_token_hint` to the end-session endpoint. Off by default so no token
   * appears in a URL; some providers need it to honour `post_logout_redirect_uri`.
   */
  idTokenHint?: boolean
}

/** The browser auth client. Create it with {@link createAuthClient}. */
export interface AuthClient {
  /**
   * Restores a stored session (no network request while it is valid) or finishes a pending
   * redirect login, then keeps tokens fresh. Never throws: problems land on the snapshot.
   */
  start(): Promise<void>
  /** Detaches timers and listeners. `start()` may be called again. */
  stop(): void
  /**
   * Signs in with Authorization Code + PKCE: redirects to the provider, or with `popup` opens
   * the provider in a popup and resolves once the user is signed in. Call it directly in the
   * click handler, before any `await`, so the browser allows the popup.
   *
   * @throws AuthError (popup) `ERR_POPUP_BLOCKED`, `ERR_POPUP_CLOSED`, `ERR_POPUP_TIMEOUT`,
   *   `ERR_POPUP_IN_PROGRESS`, `ERR_AUTHORIZATION` (provider said no, e.g. `access_denied`),
   *   `ERR_CALLBACK_INVALID`, `ERR_TOKEN_RESPONSE`, `ERR_ID_TOKEN`; (both) `ERR_DISCOVERY`, `ERR_NETWORK`,
   *   `ERR_AUTHORIZATION` (the provider refused a pushed authorization request, RFC 9126).
   * @throws TypeError `ERR_INVALID_OPTION` for a cross-origin `returnTo`, `popup` without the client's
   *   `popup` option, or `protocol.par: 'always'` against a provider without a PAR endpoint.
   */
  login(options?: LoginOptions): Promise<void>
  /**
   * Signs out: forgets the session here, revokes the refresh token, then redirects to the
   * provider's end-session endpoint when it has one (unless `localOnly`).
   */
  logout(options?: LogoutOptions): Promise<void>
  /** Claims of the signed-in user, or null. */
  getUser(): Readonly<Record<string, unknown>> | null
  /**
   * A valid access token, renewed first when it is inside the refresh leeway. `forceRefresh`
   * renews it now (once for all tabs: a token another tab renewed meanwhile is used as it is),
   * e.g. after an API answered `401 invalid_token`; `createAuthFetch` does that for you.
   *
   * @throws AuthError `ERR_LOGIN_REQUIRED` without a session, or once its token expired with nothing
   *   to renew it (no refresh token, no `refresh.silent`); `ERR_SESSION_EXPIRED` when the provider
   *   ended it; `ERR_REFRESH_FAILED` / `ERR_NETWORK` / `ERR_SILENT_AUTH` when renewal failed and the token expired.
   */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>
  /** Listens for snapshot changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  /** The current snapshot; the same object until something changes. */
  getSnapshot(): AuthSnapshot
}

/**
 * Creates a client for one provider + client id. Construction has no side effects; call
 * `start()` once the page is ready.
 *
 * @example
 * ```ts
 * const auth = createAuthClient({
 *   issuer: 'https://id.example.com',
 *   clientId: 'my-spa',
 *   redirectUri: `${location.origin}/callback`,
 * })
 * await auth.start()
 * if (auth.getSnapshot().status !== 'authenticated') await auth.login()
 * ```
 * @throws TypeError `ERR_INVALID_OPTION` naming the bad option.
 */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  const opts = resolveOptions(options)
  const store = createStore()
  const http: HttpOptions = { fetch: opts.fetch, timeoutMs: opts.timeoutMs, allowHttp: opts.allowHttp }
  const client: oauth.Client = { client_id: opts.clientId }
  const keys = {
    session: `${opts.keyPrefix}session`,
    metadata: `${opts.keyPrefix}metadata`,
    tx: (state: string) => `${opts.keyPrefix}tx:${state}`,
    /** state -> expiresAt of pending transactions, only so expired ones can be deleted later. */
    txIndex: `${opts.keyPrefix}tx-index`,
  }
  const report = (error: AuthError) => store.dispatch({ type: 'error', error })

  let storagePromise: Promise<TokenStorage> | undefined
  let metadataPromise: Promise<oauth.AuthorizationServer> | undefined
  let startPromise: Promise<void> | undefined
  /** Between start() and stop(): timers may be armed. */
  let running = false
  let refreshPromise: Promise<Session> | undefined
  let session: Session | undefined
  /** Set once storage failed for this page: stays on the snapshot, since nothing will persist. */
  let degraded: AuthError | null = null
  const scheduler = createScheduler(opts.now)

  // ID token signatures (protocol.verifySignature): jose is imported on first use only, so
  // clients without the option never load it.
  let signatureCheck: Promise<IdTokenSignatureCheck> | undefined
  const verifySignature: IdTokenSignatureCheck | undefined = opts.verifySignature
    ? async (as, idToken) => {
        signatureCheck ??= import('./flows/idTokenSignature')
          .then((m) => m.createIdTokenSignatureCheck(opts.clientId, http))
          .catch((cause: unknown) => {
            signatureCheck = undefined
            throw new AuthError('ERR_NETWORK', 'Could not load the ID token verification code', { cause })
          })
        await (await signatureCheck)(as, idToken)
      }
    : undefined

  // --- storage -------------------------------------------------------------------------------

  function storage(): Promise<TokenStorage> {
    return (storagePromise ??= openStorage())
  }

  async function openStorage(): Promise<TokenStorage> {
    const choice = opts.storage
    let inner: TokenStorage
    try {
      if (choice === 'session') inner = sessionStore()
      else if (choice === 'local') inner = localStore()
      else if (choice === 'memory') inner = createMemoryStorage()
      else if (choice === 'indexeddb') inner = (await import('./storage/indexedDbStorage')).indexedDbStore()
      else inner = choice
    } catch (cause) {
      inner = { get: () => Promise.reject(cause), set: () => Promise.reject(cause), remove: () => Promise.reject(cause) }
    }
    return createGuardedStorage(inner, {
      report,
      onFallback: (error) => {
        degraded = error
      },
      fallback: () => createFallbackStorage((key) => key.startsWith(keys.tx(''))),
    })
  }

  async function readSession(): Promise<Session | undefined> {
    const s = await storage()
    const raw = await s.get<unknown>(keys.session)
    if (raw === undefined) return undefined
    const parsed = parseSession(raw)
    if (!parsed) {
      report(new AuthError('ERR_STORAGE', 'Discarded a stored session that is corrupt or from another version'))
      await s.remove(keys.session)
    }
    return parsed
  }

  /** Stores a token set unless storage already holds a newer one (sequence rule). */
  async function writeSession(next: Session): Promise<Session> {
    const s = await storage()
    const stored = parseSession(await s.get<unknown>(keys.session))
    if (stored && stored.seq >= next.seq) return stored
    await s.set(keys.session, next)
    return next
  }

  // --- provider metadata ---------------------------------------------------------------------

  function metadata(): Promise<oauth.AuthorizationServer> {
    metadataPromise ??= loadMetadata().catch((e: unknown) => {
      metadataPromise = undefined
      throw e
    })
    return metadataPromise
  }

  async function loadMetadata(): Promise<oauth.AuthorizationServer> {
    const s = await storage()
    const cached = await s.get<{ as?: oauth.AuthorizationServer; fetchedAt?: number }>(keys.metadata)
    if (
      typeof cached?.as?.issuer === 'string' &&
      sameUrl(cached.as.issuer, opts.issuer) &&
      typeof cached.fetchedAt === 'number' &&
      opts.now() - cached.fetchedAt < opts.metadataMaxAgeMs
    ) {
      return cached.as
    }
    const as = await discover(opts.issuer, http)
    await s.set(keys.metadata, { as, fetchedAt: opts.now() })
    return as
  }

  // --- session state -------------------------------------------------------------------------

  function adopt(next: Session, error: AuthError | null = degraded): void {
    session = next
    store.dispatch({ type: 'session', session: next, error })
    scheduleRefresh(next)
  }

  /** Forgets the session here and in storage. Callers that share storage hold the tab lock. */
  async function forget(error: AuthError | null = null): Promise<void> {
    session = undefined
    scheduler.cancel()
    await (await storage()).remove(keys.session)
    store.dispatch({ type: 'signedOut', error: error ?? degraded })
  }

  /**
   * `error` lands in the same transition as the restored state: a failed callback must never
   * show "signed out, no error" first, or an app that logs in on that state loops to the provider.
   */
  async function restore(callbackError?: AuthError): Promise<void> {
    const stored = await readSession()
    // Read after readSession(), which reports a storage problem on the snapshot itself.
    const error = callbackError ?? store.getSnapshot().error
    // Worth keeping while its access token works or something can renew it (a refresh token, or
    // silent renewal, which then runs at once: a page opened after expiry stays signed in).
    if (stored && (opts.now() < stored.expiresAt || canRenew(stored))) adopt(stored, error)
    else if (stored) await forget(error)
    else {
      session = undefined
      store.dispatch({ type: 'signedOut', error })
    }
  }

  /**
   * The newest session this tab can know of: storage, or what a message already brought (a
   * localStorage write from another tab process may not be visible yet when its message is).
   */
  async function latestSession(): Promise<Session | undefined> {
    const stored = await readSession()
    if (!stored) return session
    if (!session) return stored
    return stored.seq >= session.seq ? stored : session
  }

  let retryAttempt = 0

  /** A refresh token, or silent authorization when the app enabled it. */
  function canRenew(s: Session): boolean {
    return s.refreshToken !== undefined || opts.silent !== undefined
  }

  function scheduleRefresh(s: Session): void {
    if (!running) return scheduler.cancel()
    // Nothing can renew this session: it ends when its access token does (see runRefresh).
    if (!canRenew(s)) return scheduler.at(s.expiresAt, backgroundRefresh)
    // Jitter spreads tabs and clients that restored the same session at the same moment.
    scheduler.at(renewAfter(s, opts.leewayMs) + Math.random() * maxJitterFor(s, opts.leewayMs), backgroundRefresh)
  }

  function backgroundRefresh(): void {
    refresh(false).catch(() => {
      // Reported on the snapshot by runRefresh; a transient failure has scheduled a retry.
    })
  }

  /** Lifecycle events (focus, visibility, online, pageshow): timers may have slept; look at the clock. */
  function wake(): void {
    if (!running || !session) return
    // Runs an overdue job: a renewal, or the end of a session that cannot be renewed.
    scheduler.check()
    if (session && canRenew(session) && !isFresh(session, opts.now(), opts.leewayMs) && !refreshPromise) backgroundRefresh()
  }

  function refresh(force: boolean): Promise<Session> {
    refreshPromise ??= runRefresh(force).finally(() => {
      refreshPromise = undefined
    })
    return refreshPromise
  }

  /**
   * One refresh for all tabs: under the tab lock, re-read storage first; if another tab already
   * renewed the session, use its tokens and send nothing. The rotated refresh token is stored
   * with its access token in one record. Without a refresh token the session is renewed by
   * silent authorization when enabled, or else ends here once its access token has expired.
   */
  async function runRefresh(force: boolean): Promise<Session> {
    const before = session
    if (!before) throw new AuthError('ERR_LOGIN_REQUIRED', 'There is no session to renew')
    await tabChecked
    return tabs.lock(lockName, async () => {
      const latest = await latestSession()
      if (!latest) {
        // Another tab ended the session; its message says why (logout or expiry). Show that,
        // and sign out without a reason only if no message comes.
        endedElsewhere()
        throw new AuthError('ERR_LOGIN_REQUIRED', 'The session ended in another tab')
      }
      if (latest.seq > before.seq) {
        // Another tab renewed while we waited for the lock: use its tokens, send nothing.
        adopt(latest)
        if (force ? opts.now() < latest.expiresAt : opts.now() < renewAfter(latest, opts.leewayMs)) return latest
      } else if (!force && opts.now() < renewAfter(latest, opts.leewayMs)) {
        return latest
      }
      const { refreshToken } = latest
      if (refreshToken === undefined && !opts.silent) {
        // Nothing can renew it: the token is used while it works, then the session ends, once,
        // in every tab, rather than showing 'authenticated' with a dead token.
        if (opts.now() < latest.expiresAt) return latest
        const error = new AuthError(
          'ERR_LOGIN_REQUIRED',
          'The access token expired and the session cannot be renewed (no refresh token was issued and refresh.silent is not set); sign in again',
        )
        await forget(error)
        tabs.channel.post({ type: 'signedOut', code: error.code })
        throw error
      }
      try {
        const { tokens, claims } =
          refreshToken === undefined
            ? await silentRenew()
            : await refreshGrant(await metadata(), client, http, refreshToken, verifySignature)
        if (claims && claims.sub !== latest.claims.sub) {
          // Silently, the provider answers for whoever is signed in there now: our user is not.
          throw refreshToken === undefined
            ? new AuthError('ERR_SESSION_EXPIRED', 'The provider is now signed in as a different user; sign in again')
            : new AuthError('ERR_ID_TOKEN', 'The refreshed ID token names a different user')
        }
        const next = sessionFromTokens(tokens, claims, opts.now(), latest)
        await (await storage()).set(keys.session, next)
        retryAttempt = 0
        adopt(next)
        tabs.channel.post({ type: 'session', session: next })
        return next
      } catch (e) {
        const error = toAuthError(e, 'ERR_REFRESH_FAILED', 'Refresh')
        if (isAuthError(error, 'ERR_SESSION_EXPIRED')) {
          await forget(error)
          tabs.channel.post({ type: 'signedOut', code: error.code })
        } else {
          // Transient: keep the session, show the error, retry with capped exponential backoff.
          store.dispatch({ type: 'error', error })
          retryAttempt += 1
          if (running) scheduler.at(opts.now() + backoffMs(retryAttempt), backgroundRefresh)
        }
        throw error
      }
    })
  }

  // Silent renewal is opt-in (`refresh: { silent: silentLogin(...) }`); its code lives in silent/.
  // Connected now (no side effects) so a misconfigured silent redirect URI throws here.
  const silentRenewFn = opts.silent?.connect({
    redirectUri: opts.redirectUri,
    beginLogin,
    takeTransaction,
    exchange: async (tx, url) => exchangeCode(await metadata(), client, http, tx, url, verifySignature),
  })
  function silentRenew(): Promise<CodeExchangeResult> {
    if (!silentRenewFn) return Promise.reject(new AuthError('ERR_LOGIN_REQUIRED', 'Silent renewal is not enabled'))
    return silentRenewFn()
  }

  // --- tabs ----------------------------------------------------------------------------------

  /** Stores every tab reads alike; for per-tab stores, other tabs' sessions are not ours. */
  const shared = opts.storage !== 'session' && opts.storage !== 'memory'
  const lockName = `tokenkeep:${opts.keyPrefix}`
  const tabs: { lock: Lock; channel: Channel } = {
    // Per-tab stores need no cross-tab lock: no other tab holds this tab's refresh token.
    lock: shared ? (opts.tabs.lock ?? webLock() ?? noLock) : noLock,
    channel: opts.tabs.channel ?? broadcastChannel(lockName),
  }
  let tabChecked: Promise<void> = Promise.resolve()

  /**
   * sessionStorage is copied into a duplicated tab, rotating refresh token included. Each tab
   * keeps an id in sessionStorage and holds a Web Lock named after it for its lifetime; a tab
   * that finds its id's lock taken is the copy: it takes a new id and drops the refresh token,
   * so only the original ever uses it. The copy keeps its access token until it expires.
   */
  async function checkDuplicateTab(): Promise<void> {
    if (opts.storage !== 'session') return
    const s = await storage()
    const key = `${opts.keyPrefix}tab`
    let id = await s.get<unknown>(key)
    if (typeof id === 'string' && (await claimForPageLifetime(`${lockName}tab:${id}`)) !== false) return
    const copied = typeof id === 'string'
    id = crypto.randomUUID()
    await s.set(key, id)
    await claimForPageLifetime(`${lockName}tab:${id}`)
    if (!copied) return
    const stored = await readSession()
    if (stored?.refreshToken !== undefined) {
      const { refreshToken: _dropped, ...withoutRefresh } = stored
      await s.set(keys.session, withoutRefresh)
    }
  }

  function endedElsewhere(): void {
    session = undefined
    scheduler.cancel()
    setTimeout(() => {
      if (!session && store.getSnapshot().status === 'authenticated') store.dispatch({ type: 'signedOut', error: degraded })
    }, 1_000)
  }

  function onTabMessage(message: TabMessage): void {
    if (message.type === 'session') {
      const next = parseSession(message.session)
      if (!shared || !next || (session && next.seq <= session.seq)) return
      adopt(next)
    } else if (session || store.getSnapshot().status === 'authenticated') {
      // A code says why the session ended (the provider ended it, or it expired with nothing to
      // renew it); no code means a logout.
      const code = message.code === 'ERR_SESSION_EXPIRED' || message.code === 'ERR_LOGIN_REQUIRED' ? message.code : undefined
      // A per-tab session ends with a logout anywhere, but not because another tab's token died.
      if (!shared && code) return
      const ended = session
      const error = code ? new AuthError(code, 'The session ended in another tab') : null
      if (shared) {
        session = undefined
        scheduler.cancel()
        store.dispatch({ type: 'signedOut', error: error ?? degraded })
      } else {
        void forget(error).then(() => revokeQuietly(ended))
      }
    }
  }

  const lifecycleEvents = ['visibilitychange', 'focus', 'online', 'pageshow'] as const
  function onLifecycle(event: Event): void {
    if (event.type === 'visibilitychange' && document.visibilityState !== 'visible') return
    if (event.type === 'online') retryAttempt = 0
    wake()
  }
  let detach: (() => void) | undefined
  function attach(): void {
    if (detach) return
    const unsubscribe = tabs.channel.subscribe(onTabMessage)
    for (const type of lifecycleEvents) (type === 'visibilitychange' ? document : window).addEventListener(type, onLifecycle)
    detach = () => {
      unsubscribe()
      for (const type of lifecycleEvents) (type === 'visibilitychange' ? document : window).removeEventListener(type, onLifecycle)
      detach = undefined
    }
  }

  // --- redirect callback ---------------------------------------------------------------------

  function isRedirectTarget(url: URL): boolean {
    const target = new URL(opts.redirectUri)
    return url.origin === target.origin && url.pathname === target.pathname
  }

  function cleanUrl(url: URL): void {
    const clean = new URL(url.href)
    for (const p of CALLBACK_PARAMS) clean.searchParams.delete(p)
    history.replaceState(history.state, '', clean.pathname + clean.search + clean.hash)
  }

  /**
   * Reads and deletes the pending transaction for `state` (single use: gone before the code is
   * exchanged, so a replayed callback fails cleanly). `undefined` when unknown, used or expired.
   */
  async function takeTransaction(state: string, mode: Transaction['mode']): Promise<Transaction | undefined> {
    if (state === '') return undefined
    const s = await storage()
    const tx = parseTransaction(await s.get<unknown>(keys.tx(state)))
    await s.remove(keys.tx(state))
    return tx && tx.expiresAt > opts.now() && tx.mode === mode ? tx : undefined
  }

  /** Exchanges the code and adopts the new session: the one sign-in path of redirect and popup logins. */
  async function completeSignIn(tx: Transaction, url: URL): Promise<void> {
    const s = await storage()
    const as = await metadata()
    const { tokens, claims } = await exchangeCode(as, client, http, tx, url, verifySignature)
    // A new sign-in replaces whatever was stored; its sequence number continues the stored one.
    const previous = parseSession(await s.get<unknown>(keys.session))
    const next = { ...sessionFromTokens(tokens, claims, opts.now()), seq: (previous?.seq ?? 0) + 1 }
    await s.set(keys.session, next)
    adopt(next)
    // Other tabs learn of the sign-in from the token set itself (see tabs/channel).
    tabs.channel.post({ type: 'session', session: next })
  }

  async function finishRedirect(url: URL, state: string): Promise<void> {
    // The code must not linger in the address bar or history, whatever happens next.
    cleanUrl(url)
    const tx = await takeTransaction(state, 'redirect')
    if (!tx) {
      await restore(
        new AuthError(
          'ERR_CALLBACK_STATE_MISMATCH',
          state === '' ? 'The authorization response has no state' : 'The authorization response matches no pending login (unknown, used or expired state)',
        ),
      )
      return
    }
    try {
      await completeSignIn(tx, url)
      const returnTo = tx.returnTo === undefined ? undefined : sameOriginPath(tx.returnTo)
      if (returnTo !== undefined) history.replaceState(history.state, '', returnTo)
    } catch (e) {
      await restore(toAuthError(e, 'ERR_TOKEN_RESPONSE', 'Sign-in'))
    }
  }

  // --- public API ----------------------------------------------------------------------------

  /** Restores the session or finishes the redirect, once per client. */
  function initialize(): Promise<void> {
    startPromise ??= (async () => {
      try {
        // A duplicated tab must give up the copied refresh token before anything can use it.
        tabChecked = checkDuplicateTab().catch(() => {})
        await tabChecked
        const url = new URL(location.href)
        const state = isRedirectTarget(url) ? callbackState(url) : undefined
        if (state !== undefined) await finishRedirect(url, state)
        else await restore()
      } catch (e) {
        report(toAuthError(e, 'ERR_STORAGE', 'Start'))
      }
    })()
    return startPromise
  }

  /**
   * The first call restores the session or finishes the redirect; later calls (after `stop()`,
   * as React StrictMode does on mount/unmount/mount) only re-arm timers and listeners. Running
   * the callback twice would flash a signed-out state, or exchange one code twice.
   */
  function start(): Promise<void> {
    running = true
    attach()
    const ready = initialize()
    void ready.then(() => {
      if (running && session) scheduleRefresh(session)
      wake()
    })
    return ready
  }

  function stop(): void {
    running = false
    scheduler.cancel()
    detach?.()
  }

  async function login(options: LoginOptions = {}): Promise<void> {
    // No await before this branch: the popup must open inside the user's click.
    if (options.popup !== undefined && options.popup !== false) return loginInPopup(options)
    const returnTo = sameOriginPath(options.returnTo ?? location.pathname + location.search + location.hash)
    if (returnTo === undefined) {
      throw Object.assign(new TypeError('tokenkeep: login option "returnTo" must be a same-origin path'), {
        code: 'ERR_INVALID_OPTION',
      })
    }
    const { url } = await beginLogin('redirect', opts.redirectUri, options, returnTo)
    location.assign(url.href)
  }

  /** Builds the authorization request (PKCE, state, nonce) and stores its transaction. */
  async function beginLogin(
    mode: Transaction['mode'],
    redirectUri: string,
    options: LoginOptions,
    returnTo?: string,
  ): Promise<{ url: URL; state: string }> {
    let as: oauth.AuthorizationServer
    try {
      as = await metadata()
    } catch (e) {
      // The caller gets the rejection; the snapshot shows it too, for apps that only render state.
      const error = toAuthError(e, 'ERR_DISCOVERY', 'Login')
      report(error)
      throw error
    }
    let request: Awaited<ReturnType<typeof createAuthorizationRequest>>
    try {
      // PAR (RFC 9126) when the provider requires it, or when the app asked for it.
      const push = opts.par === 'always' || as.require_pushed_authorization_requests === true ? { client, http } : undefined
      request = await createAuthorizationRequest(as, {
        clientId: opts.clientId,
        redirectUri,
        scope: opts.scope,
        mode,
        ...(returnTo === undefined ? {} : { returnTo }),
        now: opts.now(),
        ttlMs: opts.transactionTtlMs,
        extraParams: { ...opts.authorizationParams, ...options.authorizationParams },
        ...(push ? { push } : {}),
      })
    } catch (e) {
      // protocol.par: 'always' against a provider without PAR is the app's configuration, not a
      // provider failure: that TypeError reaches the caller as it is.
      if (e instanceof TypeError && (e as { code?: unknown }).code === 'ERR_INVALID_OPTION') throw e
      const error = toAuthError(e, 'ERR_AUTHORIZATION', 'Login')
      report(error)
      throw error
    }
    const { url, transaction } = request
    await saveTransaction(transaction)
    return { url, state: transaction.state }
  }

  // Popup login is opt-in (`popup: popupLogin(...)`); its code lives in popup/popupLogin.ts.
  let popupLoginFn: ((options: LoginOptions) => Promise<void>) | undefined
  function loginInPopup(options: LoginOptions): Promise<void> {
    if (!opts.popup) throw optionError('popup', 'must be set to popupLogin({ redirectUri }) to log in with a popup')
    popupLoginFn ??= opts.popup.connect({ redirectUri: opts.redirectUri, start, beginLogin, takeTransaction, completeSignIn, report, login })
    return popupLoginFn(options)
  }

  /**
   * One slot per `state`, so logins started in two tabs never overwrite each other. The index
   * exists only to delete abandoned transactions once they expire; losing an index update to a
   * concurrent tab leaves garbage behind but never breaks a login.
   */
  async function saveTransaction(tx: Transaction): Promise<void> {
    const s = await storage()
    const raw = await s.get<unknown>(keys.txIndex)
    const index = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {}
    const kept: Record<string, number> = {}
    for (const [state, expiresAt] of Object.entries(index)) {
      if (typeof expiresAt === 'number' && expiresAt > opts.now()) kept[state] = expiresAt
      else await s.remove(keys.tx(state))
    }
    kept[tx.state] = tx.expiresAt
    await s.set(keys.tx(tx.state), tx)
    await s.set(keys.txIndex, kept)
  }

  async function logout(options: LogoutOptions = {}): Promise<void> {
    await initialize()
    // Under the tab lock, so a refresh running in another tab cannot write the session back,
    // and so the refresh token revoked below is the newest one.
    const ended = await tabs.lock(lockName, async () => {
      const latest = await latestSession()
      await forget()
      return latest
    })
    tabs.channel.post({ type: 'signedOut' })
    let as: oauth.AuthorizationServer | undefined
    try {
      as = await metadata()
    } catch (e) {
      if (!options.localOnly) report(toAuthError(e, 'ERR_DISCOVERY', 'Logout'))
      return
    }
    await revokeQuietly(ended, as)
    if (options.localOnly) return
    const url = endSessionUrl(as, {
      clientId: opts.clientId,
      ...(options.idTokenHint && ended?.idToken ? { idTokenHint: ended.idToken } : {}),
      ...((options.postLogoutRedirectUri ?? opts.postLogoutRedirectUri)
        ? { postLogoutRedirectUri: options.postLogoutRedirectUri ?? opts.postLogoutRedirectUri }
        : {}),
    })
    if (url) location.assign(url.href)
  }

  /** Best effort: a failed revocation is shown, never thrown; the local sign-out already happened. */
  async function revokeQuietly(ended: Session | undefined, as?: oauth.AuthorizationServer): Promise<void> {
    if (!ended?.refreshToken) return
    try {
      await revokeToken(as ?? (await metadata()), client, http, ended.refreshToken, 'refresh_token')
    } catch (e) {
      report(toAuthError(e, 'ERR_TOKEN_RESPONSE', 'Revocation'))
    }
  }

  async function getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    await initialize()
    const current = session
    if (!current) throw new AuthError('ERR_LOGIN_REQUIRED', 'Nobody is signed in')
    if (!options.forceRefresh && isFresh(current, opts.now(), opts.leewayMs)) return current.accessToken
    // Nothing can renew it: use it while it works; past expiry, refresh() ends the session.
    if (!canRenew(current) && opts.now() < current.expiresAt) return current.accessToken
    try {
      return (await refresh(options.forceRefresh === true)).accessToken
    } catch (e) {
      // A transient failure inside the leeway still leaves a working token: use it.
      if (!isAuthError(e, 'ERR_SESSION_EXPIRED') && session && opts.now() < session.expiresAt) {
        return session.accessToken
      }
      throw e
    }
  }

  return {
    start,
    stop,
    login,
    logout,
    getUser: () => store.getSnapshot().user,
    getAccessToken,
    subscribe: store.subscribe,
    getSnapshot: store.getSnapshot,
  }
}

function sameUrl(value: string, expected: URL): boolean {
  try {
    return new URL(value).href === expected.href
  } catch {
    return false
  }
}

/**
 * Resolves `path` against the current origin and returns it as path + query + hash, or
 * `undefined` when it would leave the origin (`//evil.example`, `https://...`, `/\evil`).
 */
export function sameOriginPath(path: string): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) {
    return undefined
  }
  try {
    const url = new URL(path, location.origin)
    return url.origin === location.origin ? url.pathname + url.search + url.hash : undefined
  } catch {
    return undefined
  }
}
