import { OperationError } from '../errors.js';
import { thrown } from './revision-fixture.js';

/**
 * The message of the {@link OperationError} `fn` throws; fails (throws) when `fn` throws nothing or
 * another error. Test support only.
 */
export function operationErrorMessage(fn: () => unknown): string {
  const error = thrown(fn);
  if (!(error instanceof OperationError)) throw new Error(`expected an OperationError, got: ${String(error)}`);
  return error.message;
}
