/**
 * The one error type every parser and capture assembler throws for bad input: its message starts
 * with the file (or folder) it is about and says what was expected and what was found. Anything
 * else escaping a parser is a bug (the fuzz suite, src/testing/fuzz/, holds them to this).
 */
export class FormatError extends Error {
  override readonly name: string = 'FormatError';
}

export function isFormatError(error: unknown): error is FormatError {
  return error instanceof FormatError;
}
