import { createAuthClient } from '@tokenkeep/core'

const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47'

export const auth = createAuthClient({
  // One tenant's v2.0 issuer: /common and /organizations publish "{tenantid}" as their issuer
  issuer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
  clientId: '00001111-aaaa-2222-bbbb-3333cccc4444',
  redirectUri: `${location.origin}/callback`, // registered under the "Single-page application" platform
  postLogoutRedirectUri: `${location.origin}/`,
  // offline_access for the refresh token; the scopes of ONE resource (here your own API)
  scope: 'openid profile email offline_access api://00001111-aaaa-2222-bbbb-3333cccc4444/orders.read',
  storage: 'indexeddb',
})
