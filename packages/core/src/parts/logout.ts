// Logout: forget the session in every tab, revoke the refresh token, then RP-initiated logout.
import type * as oauth from 'oauth4webapi'
import type { LogoutOptions } from '../api'
import { endSessionUrl, revokeToken } from '../flows/logout'
import { toAuthError } from '../flows/oauthError'
import type { Session } from '../session/session'
import type { ClientContext } from './context'
import type { SessionKeeper } from './sessionKeeper'
import type { TabSync } from './tabSync'

export interface Logout {
  /**
   * The snapshot turns `signingOut` before anything is awaited (`ready`: the client's start), so
   * no protected view and no guard sees a moment between "signed in" and "logging out". It stays
   * so while the page leaves for the end-session endpoint; without that trip (`localOnly`, no
   * endpoint, discovery failed) the logout ends in `unauthenticated`.
   */
  logout(options: LogoutOptions, ready: () => Promise<void>): Promise<void>
  /** Best effort: a failed revocation is shown, never thrown; the local sign-out already happened. */
  revokeQuietly(ended: Session | undefined, as?: oauth.AuthorizationServer): Promise<void>
}

export function createLogout(ctx: ClientContext, tabs: TabSync, keeper: SessionKeeper): Logout {
  const { opts, client, http, metadata, report, store } = ctx

  async function revokeQuietly(ended: Session | undefined, as?: oauth.AuthorizationServer): Promise<void> {
    if (!ended?.refreshToken) return
    try {
      await revokeToken(as ?? (await metadata()), client, http, ended.refreshToken, 'refresh_token')
    } catch (e) {
      report(toAuthError(e, 'ERR_TOKEN_RESPONSE', 'Revocation'))
    }
  }

  return {
    revokeQuietly,
    async logout(options, ready) {
      store.dispatch({ type: 'signingOut' })
      let leaving = false
      try {
        await ready()
        leaving = await signOut(options)
      } finally {
        if (!leaving) store.dispatch({ type: 'logoutEnded' })
      }
    },
  }

  /** Ends the session everywhere; true when the page is leaving for the provider's end-session endpoint. */
  async function signOut(options: LogoutOptions): Promise<boolean> {
    // Under the tab lock, so a refresh running in another tab cannot write the session back,
    // and so the refresh token revoked below is the newest one.
    const ended = await tabs.withLock(async () => {
      const latest = await keeper.latest()
      await keeper.forget(null)
      return latest
    })
    tabs.post({ type: 'signedOut' })
    opts.log?.('logout', { localOnly: options.localOnly === true, revoked: ended?.refreshToken !== undefined }, 'info')
    let as: oauth.AuthorizationServer
    try {
      as = await metadata()
    } catch (e) {
      if (!options.localOnly) report(toAuthError(e, 'ERR_DISCOVERY', 'Logout'))
      return false
    }
    await revokeQuietly(ended, as)
    if (options.localOnly) return false
    const postLogoutRedirectUri = options.postLogoutRedirectUri ?? opts.postLogoutRedirectUri
    const url = endSessionUrl(as, {
      clientId: opts.clientId,
      ...(options.idTokenHint && ended?.idToken ? { idTokenHint: ended.idToken } : {}),
      ...(postLogoutRedirectUri ? { postLogoutRedirectUri } : {}),
    })
    if (!url) return false
    location.assign(url.href)
    return true
  }
}
