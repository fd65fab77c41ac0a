// Loaded by popup-callback.html. Only this function is imported, so the page stays tiny.
import { handlePopupCallback } from '@tokenkeep/core'

const status = document.querySelector('[data-testid="popup-callback-status"]')!
void handlePopupCallback().then((result) => {
  if (result === 'delivered') status.textContent = 'Signed in. This window closes now.'
  else if (result === 'undelivered') status.textContent = 'The page that opened this window is gone. You can close this window.'
  else status.textContent = 'Nothing to do here. You can close this window.'
  status.setAttribute('data-result', result)
})
