import { auth } from '../support/auth'
declare const button: HTMLButtonElement
declare function showError(code: string): void
// ---cut---
button.addEventListener('click', () => {
  auth.login({ popup: true }).catch((e) => showError(e.code)) // the snapshot shows it too
})
