// createAuthClient only wires the parts. The start path (start/: storage, the session, tab sync,
// timers, listeners) is what a page load runs; the protocol (protocol/: discovery, logins,
// callbacks, token requests, logout at the provider) loads through start/loader.ts when used.
import type { AuthClient, LoginOptions } from './api'
import { hasBrowser, noBrowserError } from './browserRuntime'
import { optionError } from './errors'
import { resolveOptions, type AuthClientOptions } from './options'
import { createClientContext } from './start/context'
import { createKeeper } from './start/keeper'
import { createLifecycle } from './start/lifecycle'
import { kit, protocolLoader, type Protocol } from './start/loader'
import { createLogout } from './start/logout'
import { createTabSync, tabMessageHandler } from './start/tabSync'
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
  const { store, report } = ctx
  const tabs = createTabSync(opts, ctx.storage)
  // Bound late: the protocol gets the keeper and silent renewal made below; nothing calls load()
  // while the client is being created.
  const load = protocolLoader((m) => m.createProtocol({ kit, ctx, keeper, tabs, silent }))

  // Silent renewal is opt-in (`refresh: { silent: silentLogin(...) }`); its code lives in silent/.
  // Connected now (no side effects) so a misconfigured silent redirect URI throws here.
  const silent = opts.silent?.connect({ redirectUri: opts.redirectUri, protocol: load })
  const keeper = createKeeper(ctx, tabs, load, silent !== undefined)
  const revoke = async (ended: Parameters<Protocol['revoke']>[0]) => (await load()).revoke(ended)
  const onTabMessage = tabMessageHandler(tabs, store, keeper, (ended) => revoke(ended).catch(report), opts.log)
  const lifecycle = createLifecycle({ ctx, tabs, keeper, load, onTabMessage })
  const logout = createLogout(ctx, tabs, keeper, lifecycle.ready, load)
  // Idle sign-out is opt-in (`idle: idleSignOut(...)`); its code lives in idle/.
  const idle = opts.options.idle?.connect({ store, opts, logout })

  // Popup login is opt-in (`popup: popupLogin(...)`); its code lives in popup/.
  let popupLogin: ((options: LoginOptions) => Promise<void>) | undefined
  async function login(options: LoginOptions = {}): Promise<void> {
    if (!hasBrowser()) throw noBrowserError('login()')
    // No await before this branch: the popup must open inside the user's click.
    if (options.popup === undefined || options.popup === false) return (await load()).login(options)
    if (!opts.popup) throw optionError('popup', 'must be set to popupLogin({ redirectUri }) to log in with a popup')
    popupLogin ??= opts.popup.connect({
      redirectUri: opts.redirectUri,
      now: opts.now,
      start: lifecycle.start,
      protocol: load,
      report,
      login,
    })
    return popupLogin(options)
  }

  return {
    start() {
      if (hasBrowser()) idle?.start()
      return lifecycle.start()
    },
    stop() {
      idle?.stop()
      lifecycle.stop()
    },
    login,
    async logout(options = {}) {
      if (!hasBrowser()) throw noBrowserError('logout()')
      return logout(options)
    },
    getUser: () => store.getSnapshot().user,
    getIdTokenClaims: () => idTokenClaims(keeper.current()),
    async getAccessToken(options = {}) {
      if (!hasBrowser()) throw noBrowserError('getAccessToken()')
      await lifecycle.ready()
      return keeper.token(options)
    },
    async getAuthHeaders(url, options = {}) {
      await lifecycle.ready()
      const token = await keeper.token(options.forceRefresh ? { forceRefresh: true } : {})
      return ctx.dpop ? (await ctx.dpop()).headers(keeper.current(), token, url, options.method) : { authorization: `Bearer ${token}` }
    },
    handleDPoPNonce: (url, response) => ctx.dpop?.ready?.handleNonce(keeper.current(), url, response) ?? false,
    subscribe: store.subscribe,
    getSnapshot: store.getSnapshot,
  }
}
