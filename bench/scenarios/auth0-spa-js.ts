// The common scenario with @auth0/auth0-spa-js, as its README shows it.
import { createAuth0Client } from '@auth0/auth0-spa-js'

const auth0 = await createAuth0Client({
  domain: 'id.example.com',
  clientId: 'spa',
  authorizationParams: { redirect_uri: `${location.origin}/callback` },
})

document.querySelector('#login')!.addEventListener('click', () => void auth0.loginWithRedirect())
document.querySelector('#logout')!.addEventListener('click', () => void auth0.logout({ logoutParams: { returnTo: location.origin } }))
if (location.search.includes('code=')) await auth0.handleRedirectCallback()
console.log(await auth0.getUser(), await auth0.getTokenSilently())
