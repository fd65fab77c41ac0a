import { createAuthClient } from '@tokenkeep/core'

export const auth = createAuthClient({
  // Per application: /application/o/<application slug>/ (with the trailing slash)
  issuer: 'https://auth.example.com/application/o/shop/',
  clientId: 'shop-spa',
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  // Since authentik 2024.2 a refresh token needs offline_access (and its scope mapping)
  scope: 'openid profile email offline_access',
  storage: 'indexeddb',
})
