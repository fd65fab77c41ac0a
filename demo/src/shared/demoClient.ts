// What the React and Vue demos share: their client and the call to the provider's userinfo API.
import { createAuthClient, popupLogin, type AuthClient } from '@tokenkeep/core'

declare const __TK_CONFIG__: { issuer: string; clientId: string }

/**
 * A client whose redirect URI is the demo page itself (`/react.html`, `/vue.html`), so the
 * provider sends the browser back into the same app. Session storage is shared with the other
 * demos of this origin: sign in on one page and the others are signed in too. Popup login
 * (`login({ popup: true })`) lands on /popup-callback.html.
 */
export function createDemoClient(page: string): AuthClient {
  return createAuthClient({
    issuer: __TK_CONFIG__.issuer,
    clientId: __TK_CONFIG__.clientId,
    redirectUri: `${location.origin}${page}`,
    postLogoutRedirectUri: `${location.origin}${page}`,
    scope: 'openid profile email',
    // The popup lands on the vanilla demo's callback page, which only hands the answer back.
    popup: popupLogin({ redirectUri: `${location.origin}/popup-callback.html` }),
  })
}

/** Calls the provider's userinfo endpoint (a protected API) with a bearer token; returns a line to show. */
export async function callUserinfo(token: string): Promise<string> {
  const discovery = await fetch(new URL('.well-known/openid-configuration', `${__TK_CONFIG__.issuer}/`))
  const { userinfo_endpoint } = (await discovery.json()) as { userinfo_endpoint: string }
  const response = await fetch(userinfo_endpoint, { headers: { Authorization: `Bearer ${token}` } })
  const body = (await response.json()) as { sub?: string; email?: string; error?: string }
  return response.ok ? `sub=${body.sub}` : `HTTP ${response.status} ${body.error ?? ''}`
}

/** Whole seconds until `expiresAt`, never negative; empty when there is no token. */
export function secondsLeft(expiresAt: number | null, now: number): string {
  return expiresAt === null ? '' : String(Math.max(0, Math.round((expiresAt - now) / 1000)))
}

/** A prefix and the length: enough to see a token change, never the whole token on screen. */
export function tokenPreview(token: string): string {
  return `${token.slice(0, 8)}… (${token.length} chars)`
}
