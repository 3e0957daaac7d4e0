import { ApiError, NetworkError, type ProblemDetails } from './problem';

export interface HttpClientOptions {
  /** Prefix for every path; empty in the browser (same origin). */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Called when a signed-in call answers 401: the session expired or was revoked. */
  onUnauthorized?: () => void;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** For the sign-in calls themselves, where 401 means "wrong password", not "session over". */
  unauthorizedIsExpected?: boolean;
}

export interface HttpResponse<T> {
  data: T;
  etag: string | null;
}

export type HttpClient = <T>(method: string, path: string, options?: RequestOptions) => Promise<HttpResponse<T>>;

export function createHttpClient({ baseUrl = '', fetch: fetchImpl, onUnauthorized }: HttpClientOptions = {}): HttpClient {
  return async function request<T>(method: string, path: string, options: RequestOptions = {}) {
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      // The Node server refuses state-changing calls without this (or JSON): a cross-site form cannot send it.
      'X-Requested-With': 'fetch',
      ...options.headers,
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }

    let response: Response;
    try {
      response = await (fetchImpl ?? fetch)(baseUrl + path, { method, headers, body, credentials: 'same-origin' });
    } catch (error) {
      throw new NetworkError(error);
    }

    if (!response.ok) {
      if (response.status === 401 && !options.unauthorizedIsExpected) onUnauthorized?.();
      throw new ApiError(response.status, await readProblem(response), readRetryAfter(response));
    }
    const data = response.status === 204 ? undefined : await readJson(response);
    return { data: data as T, etag: response.headers.get('ETag') };
  };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}

async function readProblem(response: Response): Promise<ProblemDetails | undefined> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return undefined;
  try {
    const value = await response.json();
    return typeof value === 'object' && value !== null ? (value as ProblemDetails) : undefined;
  } catch {
    return undefined;
  }
}

function readRetryAfter(response: Response): number | undefined {
  const value = response.headers.get('Retry-After');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
