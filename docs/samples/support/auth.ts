// What the samples share and the pages do not show: one client, as an app would create it.
import { createAuthClient } from '@tokenkeep/core'

export const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'my-spa',
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
})
