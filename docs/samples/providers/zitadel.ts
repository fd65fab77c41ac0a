import { createAuthClient } from '@tokenkeep/core'

const projectId = '249876543210987654'

export const auth = createAuthClient({
  issuer: 'https://shop-abc123.zitadel.cloud', // your instance domain, no trailing slash
  clientId: '249876543210987655@shop',
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  // offline_access for the refresh token; the project audience so your API accepts the token
  scope: `openid profile email offline_access urn:zitadel:iam:org:project:id:${projectId}:aud`,
  storage: 'indexeddb',
})

// With id_token_hint Zitadel ends the session at once; without it the user chooses on its login UI.
export function signOut(): Promise<void> {
  return auth.logout({ idTokenHint: true })
}
