// tokenkeep, smallest useful app: redirect login and the user's claims.
import { createAuthClient } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: `${location.origin}/callback`,
})

document.querySelector('#login')!.addEventListener('click', () => void auth.login())
await auth.start()
console.log(auth.getUser())
