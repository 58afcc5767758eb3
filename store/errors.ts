/**
 * Errors as etcd reports them: a gRPC code and etcd's own message. The HTTP gateway turns them
 * into `{"error": message, "message": message, "code": code}` with the status of the code.
 */
export class StoreError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }

  /** The HTTP status etcd's gateway gives this gRPC code. */
  get httpStatus(): number {
    return httpStatusOf(this.code);
  }
}

/** gRPC codes etcd uses (google.golang.org/grpc/codes). */
export const Code = {
  Unknown: 2,
  InvalidArgument: 3,
  NotFound: 5,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  OutOfRange: 11,
  Internal: 13,
  Unavailable: 14,
} as const;

export function httpStatusOf(code: number): number {
  switch (code) {
    case Code.InvalidArgument:
    case Code.FailedPrecondition:
    case Code.OutOfRange:
      return 400;
    case Code.NotFound:
      return 404;
    case Code.ResourceExhausted:
      return 429;
    case Code.Unavailable:
      return 503;
    default:
      return 500;
  }
}

const invalid = (message: string) => () => new StoreError(Code.InvalidArgument, message);

export const Errors = {
  emptyKey: invalid('etcdserver: key is not provided'),
  keyNotFound: invalid('etcdserver: key not found'),
  valueProvided: invalid('etcdserver: value is provided'),
  leaseProvided: invalid('etcdserver: lease is provided'),
  tooManyOps: invalid('etcdserver: too many operations in txn request'),
  duplicateKey: invalid('etcdserver: duplicate key given in txn request'),
  invalidSortOption: invalid('etcdserver: invalid sort option'),
  requestTooLarge: invalid('etcdserver: request is too large'),
  leaseNotFound: () => new StoreError(Code.NotFound, 'etcdserver: requested lease not found'),
  compacted: () => new StoreError(Code.OutOfRange, 'etcdserver: mvcc: required revision has been compacted'),
  futureRev: () => new StoreError(Code.OutOfRange, 'etcdserver: mvcc: required revision is a future revision'),
  stopped: () => new StoreError(Code.Unavailable, 'etcdserver: server stopped'),
  badRequest: (message: string) => new StoreError(Code.InvalidArgument, message),
};
