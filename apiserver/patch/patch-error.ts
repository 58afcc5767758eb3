/**
 * A patch that cannot be applied; nothing of it has been applied.
 *
 * `malformed` separates a patch that is wrong in itself (not a list of operations, an unknown
 * directive: upstream answers 400 BadRequest) from a well-formed one that does not fit this
 * document (a missing path, a failed `test`: upstream answers 422).
 *
 *   new PatchError('doc is missing path: /spec/x').malformed                       // false
 *   new PatchError('unknown op "frob"', { malformed: true }).malformed             // true
 */
export class PatchError extends Error {
  readonly malformed: boolean;

  constructor(message: string, opts: { malformed?: boolean } = {}) {
    super(message);
    this.name = 'PatchError';
    this.malformed = opts.malformed ?? false;
  }
}
