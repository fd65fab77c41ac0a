// The common scenario with tokenkeep: create the client, redirect login, handle the callback
// (start() does it), getUser, getAccessToken, logout.
import { createAuthClient } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: `${location.origin}/callback`,
})

document.querySelector('#login')!.addEventListener('click', () => void auth.login())
document.querySelector('#logout')!.addEventListener('click', () => void auth.logout())
await auth.start()
console.log(auth.getUser(), await auth.getAccessToken())
