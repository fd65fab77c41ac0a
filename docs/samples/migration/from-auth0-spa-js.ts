import { createAuthClient, isAuthError } from '@tokenkeep/core'

// createAuth0Client({ domain, clientId, authorizationParams: { redirect_uri, audience },
//   useRefreshTokens: true, cacheLocation: 'localstorage' }) becomes:
export const auth = createAuthClient({
  issuer: 'https://shop.eu.auth0.com/', // `https://${domain}/`, with the trailing slash
  clientId: 'Q2hhbmdlIG1lIHRvIHlvdXIgaWQ',
  redirectUri: `${location.origin}/callback`, // authorizationParams.redirect_uri
  postLogoutRedirectUri: `${location.origin}/`, // logoutParams.returnTo
  scope: 'openid profile email offline_access', // useRefreshTokens: true adds offline_access
  authorizationParams: { audience: 'https://api.shop.example.com' },
  storage: 'indexeddb', // cacheLocation: 'localstorage'
})

// handleRedirectCallback() + checkSession(): start() does both, on every page.
await auth.start()

// getTokenSilently(): the token, renewed first when needed.
export async function callApi(): Promise<Response> {
  try {
    return await fetch('https://api.shop.example.com/orders', {
      headers: { Authorization: `Bearer ${await auth.getAccessToken()}` },
    })
  } catch (e) {
    // error.error === 'login_required' / MissingRefreshTokenError
    if (isAuthError(e, 'ERR_LOGIN_REQUIRED') || isAuthError(e, 'ERR_SESSION_EXPIRED')) await auth.login()
    throw e
  }
}
