import { createAuthClient, dpopProofs, type AuthClientOptions } from '@tokenkeep/core'
declare const options: AuthClientOptions
// ---cut---
createAuthClient({ ...options, protocol: { par: 'always', verifySignature: true, dpop: dpopProofs() } })
