import { createAuthClient, silentLogin } from '@tokenkeep/core'

export const auth = createAuthClient({
  issuer: 'https://id.example.com', // byte for byte the "issuer" of /.well-known/openid-configuration
  clientId: 'my-spa',
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  scope: 'openid profile email offline_access', // drop offline_access if the provider refuses it
  storage: 'indexeddb',
  // Only for a provider that issues no refresh token to browsers, on the app's own site:
  refresh: { silent: silentLogin({ redirectUri: `${location.origin}/silent-callback.html` }) },
  protocol: { verifySignature: true }, // optional: check ID token signatures too
})
