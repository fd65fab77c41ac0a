// tokenkeep with IndexedDB imported statically (indexedDbStore()) rather than by name: the store is
// in the main bundle, so restoring a session fetches no lazy chunk first.
import { indexedDbStore } from '@tokenkeep/core'
import { startTokenkeepPage } from './tokenkeepPage'

startTokenkeepPage('tokenkeep-idb-bundled', indexedDbStore())
