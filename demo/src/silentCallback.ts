// Loaded by silent-callback.html inside the hidden iframe of a silent renewal. Only this function
// is imported, so the page stays tiny.
import { handleSilentCallback } from '@tokenkeep/core'

handleSilentCallback()
