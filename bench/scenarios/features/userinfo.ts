// The common scenario (../tokenkeep.ts) with one opt-in feature on: userinfo claims (protocol.userinfo). The bench reports what
// it adds at start and in all, against the scenario without it.
import { createAuthClient, userinfoClaims } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: `${location.origin}/callback`,
  protocol: { userinfo: userinfoClaims() },
})

document.querySelector('#login')!.addEventListener('click', () => void auth.login())
document.querySelector('#logout')!.addEventListener('click', () => void auth.logout())
await auth.start()
console.log(auth.getUser(), await auth.getAccessToken())
