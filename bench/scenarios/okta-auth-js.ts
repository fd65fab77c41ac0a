// The common scenario with @okta/okta-auth-js, as its README shows it (default entry).
import { OktaAuth } from '@okta/okta-auth-js'

const okta = new OktaAuth({
  issuer: 'https://id.example.com',
  clientId: 'spa',
  redirectUri: `${location.origin}/callback`,
})

document.querySelector('#login')!.addEventListener('click', () => void okta.signInWithRedirect())
document.querySelector('#logout')!.addEventListener('click', () => void okta.signOut())
if (okta.isLoginRedirect()) await okta.handleLoginRedirect()
await okta.start()
console.log(await okta.getUser(), okta.getAccessToken())
