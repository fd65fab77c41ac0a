import { createAuthClient, popupLogin } from '@tokenkeep/core'

// Where the app lives: '/' or the base path it was built with ('/app/').
const app = new URL(import.meta.env.BASE_URL, location.origin)

/** The app's one client, created once outside React. */
export const auth = createAuthClient({
  issuer: import.meta.env.VITE_ISSUER ?? 'http://127.0.0.1:9080',
  clientId: import.meta.env.VITE_CLIENT_ID ?? 'tokenkeep-demo',
  redirectUri: new URL('callback', app).href,
  postLogoutRedirectUri: app.href,
  storage: 'indexeddb',
  popup: popupLogin({ redirectUri: new URL('popup-callback.html', app).href }),
})

/**
 * A name to show. Providers may put only `sub` in the ID token and the profile claims in
 * userinfo alone, so never count on `name`.
 */
export function displayName(user: Readonly<Record<string, unknown>>): string {
  for (const claim of ['name', 'preferred_username', 'email', 'sub']) {
    const value = user[claim]
    if (typeof value === 'string' && value !== '') return value
  }
  return 'you'
}
