/**
 * The registry server's error registry. Every failure a handler can throw is a PraetorError
 * with a stable code and the HTTP status Consul answers for the same failure; http/respond.ts
 * is the one place that turns them into a response (plain-text body, as Consul does).
 */
export class PraetorError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Several problems in one message, in the shape of Consul's (hashicorp/go-multierror) error lists. */
export function multiError(problems: string[]): string {
  return `${problems.length} error${problems.length > 1 ? 's' : ''} occurred:\n${problems.map((p) => `\t* ${p}`).join('\n')}\n\n`;
}

/** 400: the request cannot be understood (bad JSON, bad parameter, bad field). */
export class BadRequestError extends PraetorError {
  constructor(message: string) {
    super('PRAETOR_ERR_BAD_REQUEST', 400, message);
  }
}

/** 404: an unknown route, key, service ID or check ID. */
export class NotFoundError extends PraetorError {
  constructor(message: string) {
    super('PRAETOR_ERR_NOT_FOUND', 404, message);
  }
}

/** 405: the route exists but not for this method; `allow` lists the methods that do. */
export class MethodNotAllowedError extends PraetorError {
  constructor(
    method: string,
    readonly allow: readonly string[],
  ) {
    super('PRAETOR_ERR_METHOD_NOT_ALLOWED', 405, `method ${method} not allowed`);
  }
}

/** 413: a value or body larger than the configured limit. */
export class TooLargeError extends PraetorError {
  constructor(message: string) {
    super('PRAETOR_ERR_TOO_LARGE', 413, message);
  }
}

/** 500: a request for a datacenter this server does not know. */
export class NoPathToDatacenterError extends PraetorError {
  constructor() {
    super('PRAETOR_ERR_NO_PATH_TO_DC', 500, 'No path to datacenter');
  }
}

/** 500: a request for another datacenter that none of its servers answered. */
export class DatacenterUnreachableError extends PraetorError {
  constructor(message: string) {
    super('PRAETOR_ERR_DC_UNREACHABLE', 500, message);
  }
}

/**
 * 500: a write the state store refused (a registration without node or address, a check for a
 * service that is not there). Consul answers these with 500 because they fail inside its RPC
 * layer; Praetor keeps the status so clients see what they see from Consul.
 */
export class InvalidWriteError extends PraetorError {
  constructor(message: string) {
    super('PRAETOR_ERR_INVALID_WRITE', 500, message);
  }
}

/** 500: the server could not do what was asked (storage failure, shutting down). */
export class InternalError extends PraetorError {
  constructor(message: string) {
    super('PRAETOR_ERR_INTERNAL', 500, message);
  }
}

/**
 * 500: a user event Consul refuses (a tag filter without a service filter, a filter that is not
 * a regular expression, an event over the size limit); Consul answers these with 500.
 */
export class InvalidEventError extends PraetorError {
  constructor(message: string) {
    super('PRAETOR_ERR_INVALID_EVENT', 500, message);
  }
}

/** 500: a configuration reload failed (an invalid file or definition); the running configuration is unchanged. */
export class ReloadError extends PraetorError {
  constructor(message: string) {
    super('PRAETOR_ERR_RELOAD', 500, message);
  }
}

/**
 * 500: `PUT /v1/agent/join/:address` could not reach a Praetor agent there, or the agent refused
 * this one. The text has the shape of Consul's failed join (a one-item error list).
 */
export class JoinError extends PraetorError {
  constructor(address: string, reason = 'no Praetor agent answered') {
    super('PRAETOR_ERR_JOIN', 500, multiError([`Failed to join ${address}: ${reason}`]));
  }
}

/** 500, as Consul answers: force-leave of a node that is not a member. */
export class UnknownMemberError extends PraetorError {
  constructor(node: string) {
    super('PRAETOR_ERR_UNKNOWN_MEMBER', 500, `agent: No node found with name '${node}'`);
  }
}

/**
 * 500: a snapshot archive that cannot be restored (not gzip, not a Praetor snapshot, a checksum
 * or content that does not hold up). Consul answers a bad snapshot with 500; nothing is changed.
 */
export class SnapshotError extends PraetorError {
  constructor(message: string) {
    super('PRAETOR_ERR_BAD_SNAPSHOT', 500, message);
  }
}

/**
 * 403, as Consul's ACL refusals: a membership message that is not signed with this agent's
 * encrypt key, is stale or replayed, or tries to change a member other than its sender.
 */
export class PermissionDeniedError extends PraetorError {
  constructor(reason: string) {
    super('PRAETOR_ERR_PERMISSION_DENIED', 403, `Permission denied: ${reason}`);
  }
}

/** 503: the member list is at its bound; a new member is refused until failed or left ones are removed. */
export class MemberLimitError extends PraetorError {
  constructor(limit: number) {
    super(
      'PRAETOR_ERR_MEMBER_LIMIT',
      503,
      `the member list is full (${limit} members): no new member is accepted; remove failed members with 'praetor force-leave -prune NODE' or wait for reconnect_timeout`,
    );
  }
}

/** 400 on the command line: a bad flag or config file; main prints it and exits 1. */
export class ConfigError extends PraetorError {
  constructor(message: string) {
    super('PRAETOR_ERR_CONFIG', 400, message);
  }
}

/** Every error code with what it means; a test checks each class above is listed here. */
export const ERROR_CODES: Record<string, string> = {
  PRAETOR_ERR_BAD_REQUEST: 'The request is malformed: bad JSON, a bad parameter or field value (400).',
  PRAETOR_ERR_NOT_FOUND: 'No such route, key, service or check (404).',
  PRAETOR_ERR_METHOD_NOT_ALLOWED: 'The route exists but not for this HTTP method; see the Allow header (405).',
  PRAETOR_ERR_TOO_LARGE: 'A value or request body is over the configured limit (413).',
  PRAETOR_ERR_NO_PATH_TO_DC: 'The datacenter named by ?dc is not known to this server (500).',
  PRAETOR_ERR_DC_UNREACHABLE: 'The datacenter named by ?dc is known but no server of it answered the forwarded request (500).',
  PRAETOR_ERR_INVALID_WRITE: 'The state store refused a write as invalid (no node, no address, a check for a missing service); Consul answers 500.',
  PRAETOR_ERR_INTERNAL: 'The server failed to do what was asked, e.g. storage failed (500).',
  PRAETOR_ERR_INVALID_EVENT: 'A user event was refused: tag filter without service filter, a bad filter regexp, or over the 512-byte limit; Consul answers 500.',
  PRAETOR_ERR_RELOAD: 'Reloading the config files failed (invalid file or definition); nothing was changed; Consul answers 500.',
  PRAETOR_ERR_JOIN: 'A join could not reach a Praetor agent at the address, or that agent refused this one (other datacenter, same node name) (500).',
  PRAETOR_ERR_UNKNOWN_MEMBER: 'force-leave named a node that is not a member of this agent\'s cluster (500, as Consul).',
  PRAETOR_ERR_BAD_SNAPSHOT: 'A snapshot archive is corrupt or not a Praetor snapshot; it was not restored and nothing changed (500, as Consul).',
  PRAETOR_ERR_PERMISSION_DENIED: 'A membership message was refused: not signed with this agent\'s encrypt key, stale, replayed, or changing another member (403).',
  PRAETOR_ERR_MEMBER_LIMIT: 'The member list is at its bound (5000 members); a new member was refused until failed or left ones are removed (503).',
  PRAETOR_ERR_CONFIG: 'A command-line flag or config file is invalid; the agent does not start.',
};
