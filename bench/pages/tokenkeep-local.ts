// tokenkeep with localStorage, the other store shared between tabs (README: "prefer 'indexeddb'
// for multi-tab apps"); measured to show what the store choice costs at start-up.
import { startTokenkeepPage } from './tokenkeepPage'

startTokenkeepPage('tokenkeep-local', 'local')
