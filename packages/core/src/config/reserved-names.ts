/**
 * Why `name` cannot name a bind or a branch although it follows the name rule: it is a property
 * every JavaScript object has (`Object.prototype`'s own: `constructor`, `toString`,
 * `hasOwnProperty`, `valueOf`, `__proto__`, …). In a config, `binds: { __proto__: {…} }` sets the
 * object's prototype rather than adding a bind (the bind was dropped without a word), and an
 * object keyed by bind finds the inherited property under the others, so such names are refused,
 * at `init` and when a config is loaded, rather than half supported.
 *
 * @param name - a bind or branch name.
 * @returns the reason, to follow `Invalid bind name '…': `, or `undefined` when the name is not
 *   one of them.
 * @example
 * ```ts
 * reservedNameProblem('db2'); // undefined
 * reservedNameProblem('constructor'); // "every JavaScript object has a property named 'constructor', …"
 * ```
 * @internal
 */
export function reservedNameProblem(name: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(Object.prototype, name)) return undefined;
  return `every JavaScript object has a property named '${name}' (Object.prototype.${name}), so it cannot name a bind or a branch: choose another name, e.g. '${name.replace(/^_+|_+$/g, '')}_db'`;
}
