// tokenkeep with DPoP on (protocol.dpop): the common scenario plus sender-constrained tokens, an
// API call through createAuthFetch. The DPoP code (jose's signing, the key store) is a lazy chunk
// the client loads on first use; "at start" shows what every page pays.
import { createAuthClient, createAuthFetch, dpopProofs } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: `${location.origin}/callback`,
  storage: 'indexeddb',
  protocol: { dpop: dpopProofs() },
})
const api = createAuthFetch(auth, { allowedOrigins: ['https://api.example.com'] })

document.querySelector('#login')!.addEventListener('click', () => void auth.login())
document.querySelector('#logout')!.addEventListener('click', () => void auth.logout())
auth.subscribe(() => console.log(auth.getSnapshot().status))
await auth.start()
console.log(auth.getUser(), await (await api('https://api.example.com/me')).json())
