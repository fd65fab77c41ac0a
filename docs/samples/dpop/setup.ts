import { createAuthClient, dpopProofs, type AuthClientOptions } from '@tokenkeep/core'
declare const options: AuthClientOptions
// ---cut---
const auth = createAuthClient({ ...options, protocol: { dpop: dpopProofs() } })
