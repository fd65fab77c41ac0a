import { createAuthClient } from '@tokenkeep/core'

// "Sign in with Google" through a broker that is a standard provider for the SPA. With Keycloak,
// kc_idp_hint skips Keycloak's own login page and goes straight to its "google" identity provider.
export const auth = createAuthClient({
  issuer: 'https://sso.example.com/realms/shop',
  clientId: 'shop-spa',
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  authorizationParams: { kc_idp_hint: 'google' },
  storage: 'indexeddb',
})
