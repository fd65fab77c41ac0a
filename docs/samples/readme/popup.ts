import type { AuthClientOptions } from '@tokenkeep/core'
declare const options: AuthClientOptions
declare const button: HTMLButtonElement
// ---cut---
import { createAuthClient, popupLogin } from '@tokenkeep/core'
const auth = createAuthClient({ ...options, popup: popupLogin({ redirectUri: `${location.origin}/popup-callback.html` }) })
button.onclick = () => auth.login({ popup: true })          // no await before it: the window opens inside the click
