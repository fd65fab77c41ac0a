import { createAuthClient } from '@tokenkeep/core'

export const auth = createAuthClient({
  // https://<host>/realms/<realm>: exactly the "issuer" of the realm's discovery document
  issuer: 'https://sso.example.com/realms/shop',
  clientId: 'shop-spa',
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  // Keycloak issues a refresh token without offline_access; add it only for offline sessions
  scope: 'openid profile email',
  storage: 'indexeddb',
})

// Without id_token_hint Keycloak shows "Do you want to log out?" before it returns.
export function signOut(): Promise<void> {
  return auth.logout({ idTokenHint: true })
}
