// The common scenario (../tokenkeep.ts) with one opt-in feature on: API calls with createAuthFetch that step up
// (RFC 9470) by popup. The bench reports what it adds at start and in all, against the scenario without it.
import { createAuthClient, createAuthFetch, popupLogin } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: `${location.origin}/callback`,
  popup: popupLogin({ redirectUri: `${location.origin}/popup-callback.html` }),
})

document.querySelector('#login')!.addEventListener('click', () => void auth.login())
document.querySelector('#logout')!.addEventListener('click', () => void auth.logout())
await auth.start()
console.log(auth.getUser(), await auth.getAccessToken())
const api = createAuthFetch(auth, { allowedOrigins: ['https://api.example.com'], stepUp: 'popup' })
console.log(await api('https://api.example.com/orders'))
