// Storage failures a user can act on; each message names the file or folder concerned.

export class StorageError extends Error {}

/** No (complete) data for the key here. */
export class DataNotAvailable extends StorageError {}

/** Data is present but cannot be read as it claims to be. */
export class DataCorrupted extends StorageError {}

/** Writing was interrupted or failed: the metadata has no writing_ended, or an exception. */
export class DataIncomplete extends StorageError {}

/** The frontend is read-only. */
export class ReadOnlyStorage extends StorageError {}
