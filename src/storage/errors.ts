// Storage failures a user can act on; each message names the file or folder concerned.

import { StorageError } from '../core/storage-api.js';

// Defined with the storage contract in core (the engine raises them too); one class each.
export { DataBeingWritten, DataNotAvailable, StorageError } from '../core/storage-api.js';

/** Data is present but cannot be read as it claims to be. */
export class DataCorrupted extends StorageError {}

/** Writing was interrupted or failed: the metadata has no writing_ended, or an exception. */
export class DataIncomplete extends StorageError {}

/** The frontend is read-only. */
export class ReadOnlyStorage extends StorageError {}
