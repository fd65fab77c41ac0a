// ---cut---
import { createAuthClient, idleSignOut } from '@tokenkeep/core'

// Signed out after 15 minutes without activity in any tab; warned one minute before.
export const idle = idleSignOut({ afterMs: 15 * 60_000, warnMs: 60_000 })

export const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'my-spa',
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  idle,
})
