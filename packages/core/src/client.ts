// createAuthClient only wires the parts: each concern lives in one module of parts/, and this file
// says which part does what. Refresh, restore and getAccessToken: parts/sessionKeeper.ts.
import type { AuthClient, LoginOptions } from './api'
import { hasBrowser, noBrowserError } from './browserRuntime'
import { optionError } from './errors'
import { resolveOptions, type AuthClientOptions } from './options'
import { createAuthorization, loginRequest } from './parts/authorization'
import { createClientContext } from './parts/context'
import { createLifecycle } from './parts/lifecycle'
import { createLogout } from './parts/logout'
import { createRedirectLogin } from './parts/redirectLogin'
import { createSessionKeeper } from './parts/sessionKeeper'
import { createTabSync, tabMessageHandler } from './parts/tabSync'
import { createTransactions } from './parts/transactions'
import { idTokenClaims } from './session/profile'

export type { AuthClient, LoginOptions, LogoutOptions } from './api'

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
  const ctx = createClientContext(opts)
  const { store, storage, report } = ctx
  const transactions = createTransactions(opts, storage)
  // Silent renewal continues the session's sign-in (and, with DPoP, its key).
  const authorization = createAuthorization(ctx, transactions, () => keeper.current())
  const tabs = createTabSync(opts, storage)
  // Silent renewal is opt-in (`refresh: { silent: silentLogin(...) }`); its code lives in silent/.
  // Connected now (no side effects) so a misconfigured silent redirect URI throws here.
  const silentRenew = opts.silent?.connect({
    redirectUri: opts.redirectUri,
    beginLogin: authorization.begin,
    takeTransaction: transactions.take,
    exchange: authorization.exchange,
  })
  const keeper = createSessionKeeper(ctx, tabs, silentRenew)
  const redirect = createRedirectLogin(ctx, authorization, transactions, keeper)
  const signOut = createLogout(ctx, tabs, keeper)
  const lifecycle = createLifecycle(ctx, tabs, keeper, redirect, signOut, tabMessageHandler(tabs, store, keeper, signOut.revokeQuietly, opts.log))

  // Popup login is opt-in (`popup: popupLogin(...)`); its code lives in popup/.
  let popupLogin: ((options: LoginOptions) => Promise<void>) | undefined
  async function login(options: LoginOptions = {}): Promise<void> {
    if (!hasBrowser()) throw noBrowserError('login()')
    // Caller mistakes are refused before anything happens (a popup would open otherwise).
    loginRequest(opts, options)
    // No await before this branch: the popup must open inside the user's click.
    if (options.popup === undefined || options.popup === false) return redirect.login(options)
    if (!opts.popup) throw optionError('popup', 'must be set to popupLogin({ redirectUri }) to log in with a popup')
    popupLogin ??= opts.popup.connect({
      redirectUri: opts.redirectUri,
      now: opts.now,
      start: lifecycle.start,
      beginLogin: authorization.begin,
      takeTransaction: transactions.take,
      completeSignIn: redirect.complete,
      report,
      login,
    })
    return popupLogin(options)
  }

  return {
    start: lifecycle.start,
    stop: lifecycle.stop,
    login,
    async logout(options = {}) {
      if (!hasBrowser()) throw noBrowserError('logout()')
      return signOut.logout(options, lifecycle.ready)
    },
    getUser: () => store.getSnapshot().user,
    getIdTokenClaims: () => idTokenClaims(keeper.current()),
    async getAccessToken(options = {}) {
      if (!hasBrowser()) throw noBrowserError('getAccessToken()')
      await lifecycle.ready()
      return keeper.accessToken(options)
    },
    async getAuthHeaders(url, options = {}) {
      await lifecycle.ready()
      const token = await keeper.accessToken(options.forceRefresh ? { forceRefresh: true } : {})
      return ctx.dpop ? (await ctx.dpop()).headers(keeper.current(), token, url, options.method) : { authorization: `Bearer ${token}` }
    },
    handleDPoPNonce: (url, response) => ctx.dpop?.ready?.handleNonce(keeper.current(), url, response) ?? false,
    subscribe: store.subscribe,
    getSnapshot: store.getSnapshot,
  }
}
