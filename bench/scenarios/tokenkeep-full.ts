// tokenkeep with everything on: popup and redirect login, refresh shared by tabs, IndexedDB
// storage (a dynamic chunk, counted), access tokens, logout.
import { createAuthClient, popupLogin } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: `${location.origin}/callback`,
  storage: 'indexeddb',
  popup: popupLogin({ redirectUri: `${location.origin}/popup-callback.html` }),
})

document.querySelector('#login')!.addEventListener('click', () => void auth.login())
document.querySelector('#login-popup')!.addEventListener('click', () => void auth.login({ popup: true }))
document.querySelector('#logout')!.addEventListener('click', () => void auth.logout())
auth.subscribe(() => console.log(auth.getSnapshot().status))
await auth.start()
console.log(auth.getUser(), await auth.getAccessToken())
