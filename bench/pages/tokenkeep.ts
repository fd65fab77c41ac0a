// tokenkeep set up as its README recommends for a session shared between tabs: IndexedDB storage
// (refresh once for all tabs is built in). Short refresh leeway to match the short token lifetime.
import { startTokenkeepPage } from './tokenkeepPage'

startTokenkeepPage('tokenkeep', 'indexeddb')
