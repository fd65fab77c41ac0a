// Logout at the provider, after start/logout has ended the session in every tab: revoke the
// refresh token, then RP-initiated logout (or the app's `logoutUrl`); and the way back from it.
import * as oauth from 'oauth4webapi'
import type { LogoutOptions } from '../api'
import { endSessionUrl, revokeToken } from './flows/logout'
import { toAuthError } from './flows/oauthError'
import type { Session } from '../session/session'
import type { ProtocolContext } from './context'
import { AuthError } from './kit'

export interface Logout {
  /**
   * The session `ended` here already: revokes its refresh token and, unless `localOnly`, sends
   * the browser to the provider's end-session endpoint or to `providerLogout` (the checked
   * `logoutUrl`). True when the page is leaving.
   */
  atProvider(options: LogoutOptions, ended: Session | undefined, providerLogout: string | undefined): Promise<boolean>
  /** Best effort: a failed revocation is shown, never thrown; the local sign-out already happened. */
  revokeQuietly(ended: Session | undefined, as?: oauth.AuthorizationServer): Promise<void>
  /**
   * On the page the provider sent the user back to after logout: checks the `state` it brought
   * back against the pending logout and removes it from the address bar. Returns the URL without
   * it (the page to carry on with) and, when the `state` matches no pending logout, the error.
   */
  returned(url: URL): Promise<{ url: URL; error?: AuthError }>
}

/** How long a pending logout waits for the provider to send the user back. */
const LOGOUT_TTL_MS = 10 * 60_000

interface PendingLogout {
  readonly state: string
  readonly postLogoutRedirectUri: string
  readonly expiresAt: number
  /**
   * The provider already sent the user back with this `state`. Kept until it expires: Back onto
   * the provider's logout page sends the same `state` again, which is then removed quietly.
   */
  readonly returned?: true
}

function parsePending(value: unknown): PendingLogout | undefined {
  const p = value as Partial<PendingLogout> | undefined
  return typeof p?.state === 'string' && typeof p.postLogoutRedirectUri === 'string' && typeof p.expiresAt === 'number'
    ? (p as PendingLogout)
    : undefined
}

const samePage = (a: URL, b: URL) => a.origin === b.origin && a.pathname === b.pathname

export function createLogout(ctx: ProtocolContext): Logout {
  const { opts, client, http, metadata, warn, storage } = ctx

  async function revokeQuietly(ended: Session | undefined, as?: oauth.AuthorizationServer): Promise<void> {
    if (!ended?.refreshToken) return
    try {
      await revokeToken(as ?? (await metadata()), client, http, ended.refreshToken, 'refresh_token')
    } catch (e) {
      warn(toAuthError(e, 'ERR_TOKEN_RESPONSE', 'Revocation'))
    }
  }

  return {
    revokeQuietly,
    async returned(url) {
      const state = url.searchParams.get('state')
      // Any page may carry a `state` of the app's own: only one that a logout is waiting on is ours.
      if (state === null || url.searchParams.has('code') || url.searchParams.has('error')) return { url }
      const s = await storage.open()
      const pending = parsePending(await s.get<unknown>(storage.keys.logout))
      if (!pending || !samePage(url, new URL(pending.postLogoutRedirectUri))) return { url }
      const matches = state === pending.state && pending.expiresAt > opts.now()
      if (pending.returned && !matches) return { url }
      // A match is kept (see PendingLogout.returned); anything else uses the pending logout up.
      if (matches) await s.set(storage.keys.logout, { ...pending, returned: true })
      else await s.remove(storage.keys.logout)
      const clean = new URL(url.href)
      clean.searchParams.delete('state')
      history.replaceState(history.state, '', clean.pathname + clean.search + clean.hash)
      if (matches) return { url: clean }
      return {
        url: clean,
        error: new AuthError('ERR_CALLBACK_STATE_MISMATCH', 'The logout response matches no pending logout (unknown, used or expired state)'),
      }
    },
    atProvider,
  }

  async function atProvider(options: LogoutOptions, ended: Session | undefined, providerLogout: string | undefined): Promise<boolean> {
    let as: oauth.AuthorizationServer
    try {
      as = await metadata()
    } catch (e) {
      if (options.localOnly) return false
      // The provider's own logout needs no metadata: still end the session there.
      if (providerLogout) return leave(providerLogout)
      warn(toAuthError(e, 'ERR_DISCOVERY', 'Logout'))
      return false
    }
    await revokeQuietly(ended, as)
    if (options.localOnly) return false
    // Not RP-Initiated Logout (Cognito /logout, Auth0 /v2/logout): the address is used exactly as
    // given, so no state or id_token_hint is added to it.
    if (providerLogout) return leave(providerLogout)
    const postLogoutRedirectUri = options.postLogoutRedirectUri ?? opts.postLogoutRedirectUri
    if (!as.end_session_endpoint) return false
    // RP-Initiated Logout §2: `state` goes to the provider and comes back on the redirect, so
    // the page the user lands on can tell a logout this tab started from anything else.
    const state = postLogoutRedirectUri ? oauth.generateRandomState() : undefined
    if (state && postLogoutRedirectUri) {
      const pending: PendingLogout = { state, postLogoutRedirectUri, expiresAt: opts.now() + LOGOUT_TTL_MS }
      await (await storage.open()).set(storage.keys.logout, pending)
    }
    const url = endSessionUrl(as, {
      clientId: opts.clientId,
      ...(options.idTokenHint && ended?.idToken ? { idTokenHint: ended.idToken } : {}),
      ...(postLogoutRedirectUri ? { postLogoutRedirectUri } : {}),
      ...(state ? { state } : {}),
    })
    if (!url) return false
    return leave(url.href)
  }

  /**
   * Replaces the page that started the logout (often a protected one) with the provider's: Back
   * from where the provider sends the user afterwards then never lands on a page of the ended
   * session, and whatever Back reaches first is the provider's page, whose replay comes back
   * with a `state` that returned() knows and removes.
   */
  function leave(href: string): true {
    location.replace(href)
    return true
  }
}
