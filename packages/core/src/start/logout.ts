// logout(): the part every page needs at once. The snapshot turns `signingOut` before anything
// is awaited, so no protected view and no guard sees a moment between "signed in" and "logging
// out"; the session ends in every tab under the lock. The provider's part (revocation, RP-initiated
// logout) is protocol code, loaded now; when it cannot load, the local logout still holds.
import type { LogoutOptions } from '../api'
import { isAuthError } from '../errors'
import { LOGOUT } from '../logger'
import { secureUrl } from '../options'
import type { ClientContext } from './context'
import type { Keeper } from './keeper'
import type { Protocol } from './protocolApi'
import type { TabSync } from './tabSync'

/**
 * The snapshot stays `signingOut` while the page leaves for the end-session endpoint (or the
 * `logoutUrl`); without that trip (`localOnly`, no endpoint, discovery failed) the logout ends
 * in `unauthenticated`.
 */
export function createLogout(
  ctx: ClientContext,
  tabs: TabSync,
  keeper: Keeper,
  ready: () => Promise<void>,
  load: () => Promise<Protocol>,
): (options: LogoutOptions) => Promise<void> {
  const { store, report, opts } = ctx
  return async (options) => {
    // A bad logoutUrl is refused before anything changes (no signingOut, nothing forgotten).
    const providerLogout = options.logoutUrl === undefined ? undefined : secureUrl('logoutUrl', options.logoutUrl).href
    store.dispatch({ type: 'signingOut' })
    let leaving = false
    try {
      // Start loading the provider's part while the local logout runs.
      const protocol = load()
      protocol.catch(() => {})
      await ready()
      // Under the tab lock, so a refresh running in another tab cannot write the session back,
      // and so the refresh token revoked next is the newest one.
      const ended = await tabs.withLock(async () => {
        const latest = await keeper.latest()
        await keeper.end(null, 'all', latest)
        return latest
      })
      opts.log?.(LOGOUT, options.localOnly === true, ended?.refreshToken !== undefined)
      try {
        leaving = await (await protocol).atProvider(options, ended, providerLogout)
      } catch (e) {
        if (!isAuthError(e)) throw e
        // The protocol code could not load (offline, a redeploy): signed out here; the provider's
        // own logout address needs no protocol code.
        if (providerLogout && !options.localOnly) {
          location.assign(providerLogout)
          leaving = true
        } else report(e)
      }
    } finally {
      if (!leaving) store.dispatch({ type: 'logoutEnded' })
    }
  }
}
