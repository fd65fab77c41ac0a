// Unit-test setup: happy-dom provides window, storage and history; IndexedDB comes from fake-indexeddb.
import 'fake-indexeddb/auto'
