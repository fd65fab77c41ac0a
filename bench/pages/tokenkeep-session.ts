// tokenkeep with the default store, sessionStorage: per tab, so the runner reloads the signed-in
// tab rather than opening a new one; measured to put the default next to the other stores.
import { startTokenkeepPage } from './tokenkeepPage'

startTokenkeepPage('tokenkeep-session', 'session')
