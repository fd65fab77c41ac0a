declare function render(snapshot: unknown): void
// ---cut---
import { createAuthClient } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'my-spa',
  redirectUri: `${location.origin}/callback`,
})
auth.subscribe(() => render(auth.getSnapshot()))
await auth.start()                       // never throws; errors land on the snapshot
await auth.login()                       // redirect
const token = await auth.getAccessToken()
await auth.logout()
