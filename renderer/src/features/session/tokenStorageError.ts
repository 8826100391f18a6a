/** The OS keychain refused to store the sync token (Electron): sign-in cannot be kept safely. */
export class TokenStorageError extends Error {
  override name = 'TokenStorageError';
}
