import { createAuthClient } from '@tokenkeep/core'

export const auth = createAuthClient({
  // A custom authorization server ("default" here) issues access tokens for your own APIs;
  // the org authorization server is https://<your-org>.okta.com
  issuer: 'https://shop.okta.com/oauth2/default',
  clientId: '0oa1b2c3d4e5f6g7h8i9',
  redirectUri: `${location.origin}/login/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  scope: 'openid profile email offline_access',
  storage: 'indexeddb',
})

// Okta's /v1/logout requires id_token_hint.
export function signOut(): Promise<void> {
  return auth.logout({ idTokenHint: true })
}
