// The common scenario (../tokenkeep.ts) with one opt-in feature on: idle sign-out (idle: idleSignOut()). The bench reports
// what it adds at start and in all, against the scenario without it.
import { createAuthClient, idleSignOut } from '@tokenkeep/core'

const idle = idleSignOut({ afterMs: 15 * 60_000, warnMs: 60_000 })
const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: `${location.origin}/callback`,
  idle,
})

document.querySelector('#login')!.addEventListener('click', () => void auth.login())
document.querySelector('#logout')!.addEventListener('click', () => void auth.logout())
await auth.start()
console.log(auth.getUser(), await auth.getAccessToken())
auth.subscribe(() => console.log(auth.getSnapshot().idleDeadlineAt))
document.querySelector('#still-here')!.addEventListener('click', () => idle.stillHere())
