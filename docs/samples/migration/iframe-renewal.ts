import { createAuthClient, silentLogin } from '@tokenkeep/core'

// createAuth0Client({ domain, clientId }) without useRefreshTokens renews by iframe
// (prompt=none). Pick one of the two, or the session ends when its first access token does:
export const withRefreshTokens = createAuthClient({
  issuer: 'https://shop.eu.auth0.com/',
  clientId: 'Q2hhbmdlIG1lIHRvIHlvdXIgaWQ',
  redirectUri: `${location.origin}/callback`,
  // 1. A refresh token (turn on Refresh Token Rotation for the application at Auth0).
  scope: 'openid profile email offline_access',
})

export const withIframe = createAuthClient({
  issuer: 'https://shop.eu.auth0.com/',
  clientId: 'Q2hhbmdlIG1lIHRvIHlvdXIgaWQ',
  redirectUri: `${location.origin}/callback`,
  // 2. The same iframe renewal as auth0-spa-js's default: a page that calls
  //    handleSilentCallback(), registered as an Allowed Callback URL. It needs the provider's
  //    session cookie in an iframe, which browsers that block third-party cookies refuse
  //    when the provider is on another site (then ERR_SILENT_AUTH, and the session ends).
  refresh: { silent: silentLogin({ redirectUri: `${location.origin}/silent-callback.html` }) },
})
