// The common scenario (../tokenkeep.ts) with one opt-in feature on: DPoP-bound tokens (protocol.dpop). The bench reports what
// it adds at start and in all, against the scenario without it.
import { createAuthClient, dpopProofs } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: `${location.origin}/callback`,
  protocol: { dpop: dpopProofs() },
})

document.querySelector('#login')!.addEventListener('click', () => void auth.login())
document.querySelector('#logout')!.addEventListener('click', () => void auth.logout())
await auth.start()
console.log(auth.getUser(), await auth.getAccessToken())
