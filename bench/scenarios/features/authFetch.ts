// The common scenario (../tokenkeep.ts) with one opt-in feature on: API calls with createAuthFetch. The bench reports what
// it adds at start and in all, against the scenario without it.
import { createAuthClient, createAuthFetch } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: `${location.origin}/callback`,
})

document.querySelector('#login')!.addEventListener('click', () => void auth.login())
document.querySelector('#logout')!.addEventListener('click', () => void auth.logout())
await auth.start()
console.log(auth.getUser(), await auth.getAccessToken())
const api = createAuthFetch(auth, { allowedOrigins: ['https://api.example.com'] })
console.log(await api('https://api.example.com/orders'))
