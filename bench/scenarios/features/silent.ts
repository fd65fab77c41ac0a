// The common scenario (../tokenkeep.ts) with one opt-in feature on: silent renewal without refresh tokens (refresh.silent: silentLogin()). The bench reports what
// it adds at start and in all, against the scenario without it.
import { createAuthClient, silentLogin } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: `${location.origin}/callback`,
  refresh: { silent: silentLogin({ redirectUri: `${location.origin}/silent-callback.html` }) },
})

document.querySelector('#login')!.addEventListener('click', () => void auth.login())
document.querySelector('#logout')!.addEventListener('click', () => void auth.logout())
await auth.start()
console.log(auth.getUser(), await auth.getAccessToken())
