import { createAuthClient } from '@tokenkeep/core'

export const auth = createAuthClient({
  // The tenant (or custom) domain with its trailing slash: Auth0's issuer ends in "/"
  issuer: 'https://shop.eu.auth0.com/',
  clientId: 'Q2hhbmdlIG1lIHRvIHlvdXIgaWQ',
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  // offline_access asks for a refresh token (the application needs rotation turned on)
  scope: 'openid profile email offline_access',
  // Without an audience the access token only works at Auth0's /userinfo
  authorizationParams: { audience: 'https://api.shop.example.com' },
  storage: 'indexeddb',
})
