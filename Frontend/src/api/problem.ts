/** RFC 7807 ProblemDetails, the shape of every error the backend and the Node server send. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[] | string>;
  /** A chat turn that failed after the message was stored names the conversation it went into. */
  conversation_id?: number;
}

/** One message per field, keyed by the snake_case field name the form uses. */
export type FieldErrors = Record<string, string>;

export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDetails | undefined;
  readonly fieldErrors: FieldErrors;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, problem?: ProblemDetails, retryAfterSeconds?: number) {
    super(problem?.detail ?? problem?.title ?? `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.fieldErrors = fieldErrorsOf(problem);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The request never got an answer (offline, server down, connection cut). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

/**
 * ASP.NET names fields in several ways depending on where validation failed ("title", "Title", "$.title",
 * "request.Title", "dueDate"): all become the form's snake_case name.
 */
export function fieldErrorsOf(problem: ProblemDetails | undefined): FieldErrors {
  const result: FieldErrors = {};
  for (const [key, value] of Object.entries(problem?.errors ?? {})) {
    const messages = Array.isArray(value) ? value : [value];
    const message = messages.filter((m) => typeof m === 'string' && m.trim() !== '').join(' ');
    if (!message) continue;
    const name = toSnakeCase(key.split('.').at(-1) ?? key);
    result[name] = result[name] ? `${result[name]} ${message}` : message;
  }
  return result;
}

function toSnakeCase(name: string): string {
  return name
    .replace(/^\$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Words for a person, for any failure of an API call. */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) {
    return "Can't reach the server. Check your connection and try again.";
  }
  if (!(error instanceof ApiError)) {
    return 'Something went wrong. Try again.';
  }
  switch (error.status) {
    case 401:
      return 'Your session has ended. Sign in again.';
    case 403:
      return "You don't have access to that.";
    case 404:
      return 'It no longer exists — it may have been deleted elsewhere.';
    case 409:
    case 412:
      return 'It was changed elsewhere at the same time. The latest version is shown; try again.';
    case 413:
      return 'That is too long to send.';
    case 429:
      return error.retryAfterSeconds
        ? `Too many attempts. Try again in ${formatSeconds(error.retryAfterSeconds)}.`
        : 'Too many attempts. Wait a little and try again.';
  }
  if (error.status >= 500) {
    return 'The service is unavailable right now. Try again in a moment.';
  }
  const fieldMessages = Object.values(error.fieldErrors);
  if (fieldMessages.length > 0) return fieldMessages.join(' ');
  return error.problem?.detail ?? error.problem?.title ?? 'The request was not accepted. Check what you entered.';
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
