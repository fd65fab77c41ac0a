import { createAuthClient } from '@tokenkeep/core'
// ---cut---
// Two clients on one origin: the shop's users and the back office, at different providers.
export const shop = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'shop-spa',
  redirectUri: `${location.origin}/callback/shop`, // one redirect URI per client
  storage: 'indexeddb',
})

export const backOffice = createAuthClient({
  issuer: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
  clientId: '00001111-aaaa-2222-bbbb-3333cccc4444',
  redirectUri: `${location.origin}/callback/back-office`,
  scope: 'openid profile offline_access api://00001111-aaaa-2222-bbbb-3333cccc4444/admin',
  storage: 'session',
})

// Each start() finishes only a callback on its own redirect URI and restores only its own
// session: storage keys, tab locks and tab messages are namespaced by issuer + client id.
await Promise.all([shop.start(), backOffice.start()])
