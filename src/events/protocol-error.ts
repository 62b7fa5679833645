/**
 * The error a decoder raises for input that is not protocol v1: invalid JSON, another major
 * version, an object that is not an event. It names the line (1-based) where that was found.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    message: string,
    /** The 1-based line of the input that was refused. */
    readonly line: number,
    options?: { readonly cause?: unknown },
  ) {
    super(`line ${line}: ${message}`, options);
  }
}
