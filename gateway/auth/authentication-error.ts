/** Why a token was refused; logged for operators, never sent to the client. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}
