import { createAuthClient, type AuthClient } from '@tokenkeep/core'

/**
 * The app's client. `origin` is the page's origin in the browser; a server render passes the
 * configured one, because there is no `location` there (the plugin and the guard never start
 * the client on the server).
 */
export function createAppAuth(origin: string): AuthClient {
  return createAuthClient({
    issuer: import.meta.env.VITE_TK_ISSUER,
    clientId: 'tokenkeep-demo',
    redirectUri: `${origin}/callback`,
    postLogoutRedirectUri: `${origin}/`,
  })
}
