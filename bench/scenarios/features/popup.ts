// The common scenario (../tokenkeep.ts) with one opt-in feature on: popup login (popup: popupLogin()). The bench reports what
// it adds at start and in all, against the scenario without it.
import { createAuthClient, popupLogin } from '@tokenkeep/core'

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
document.querySelector('#login-popup')!.addEventListener('click', () => void auth.login({ popup: true }))
