import * as coreErrors from '../errors.js';

/**
 * A value as it crosses a thread boundary (`postMessage`): errors become plain records that
 * {@link fromTransfer} turns back into instances of the same class of core (so `instanceof
 * MigrationError`, `RunError.failures`, `StoppedGroup.error` keep working on the other side),
 * with every field, message, stack and cause. Other errors (a driver's `SqliteError`) come back as
 * an `Error` with their name, message, stack and fields (`code`).
 */
export type Transferred = unknown;

interface ErrorRecord {
  readonly $error: {
    readonly name: string;
    readonly message: string;
    readonly stack: string | undefined;
    readonly cause?: Transferred;
    readonly fields: Record<string, Transferred>;
  };
}

/** Core's error classes by name (`MigrationError`, `RunError`, …). */
const classes = new Map<string, { readonly prototype: Error }>();
for (const [name, value] of Object.entries(coreErrors) as [string, unknown][]) {
  if (typeof value === 'function' && value.prototype instanceof Error) classes.set(name, value as { readonly prototype: Error });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/**
 * Makes a value safe to post to another thread, keeping errors (also inside arrays and plain
 * objects, e.g. a `step-failed` event or a `RunError`'s lists) as records.
 * @internal
 */
export function toTransfer(value: unknown): Transferred {
  if (value instanceof Error) {
    const fields: Record<string, Transferred> = {};
    for (const key of Object.keys(value)) if (key !== 'message' && key !== 'stack' && key !== 'cause') fields[key] = toTransfer((value as unknown as Record<string, unknown>)[key]);
    const record: ErrorRecord = {
      $error: {
        name: value.name,
        message: value.message,
        stack: value.stack,
        ...('cause' in value ? { cause: toTransfer(value.cause) } : {}),
        fields,
      },
    };
    return record;
  }
  if (Array.isArray(value)) return value.map(toTransfer);
  if (value instanceof Map) return { $map: [...value.entries()].map(([k, v]) => [k, toTransfer(v)]) };
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toTransfer(v)]));
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  return value;
}

/**
 * The value {@link toTransfer} made, on the other thread: errors of core's classes revived as
 * instances of this thread's classes, frozen arrays as arrays.
 * @internal
 */
export function fromTransfer(value: Transferred): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map(fromTransfer));
  if (!isRecord(value)) return value;
  if ('$error' in value && isRecord(value.$error)) {
    const data = (value as unknown as ErrorRecord).$error;
    const type = classes.get(data.name);
    const error: Error = Object.create((type ?? Error).prototype) as Error;
    const hidden = (key: string, v: unknown) => Object.defineProperty(error, key, { value: v, writable: true, configurable: true, enumerable: false });
    hidden('message', data.message);
    hidden('stack', data.stack);
    if ('cause' in data) hidden('cause', fromTransfer(data.cause));
    for (const [key, v] of Object.entries(data.fields)) (error as unknown as Record<string, unknown>)[key] = fromTransfer(v);
    if (error.name !== data.name) hidden('name', data.name);
    return error;
  }
  if ('$map' in value && Array.isArray(value.$map)) return new Map((value.$map as [unknown, Transferred][]).map(([k, v]) => [k, fromTransfer(v)]));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromTransfer(v)]));
}
