import type { Session } from './api/types';

export type SessionState =
  | { kind: 'checking' }
  | { kind: 'signed-out'; expired: boolean; email?: string | undefined; notice?: string | undefined }
  | { kind: 'signed-in'; user: Session };

export type SessionAction =
  | { type: 'signed-in'; user: Session }
  | { type: 'signed-out'; notice?: string | undefined }
  | { type: 'expired' };

export function sessionReducer(state: SessionState, action: SessionAction): SessionState {
  switch (action.type) {
    case 'signed-in':
      return { kind: 'signed-in', user: action.user };
    case 'signed-out':
      return { kind: 'signed-out', expired: false, notice: action.notice };
    case 'expired':
      // Several calls may fail with 401 at once: only the first one changes anything.
      if (state.kind !== 'signed-in') return state;
      return { kind: 'signed-out', expired: true, email: state.user.email };
  }
}

/** Longest delay setTimeout accepts (about 24.8 days); a longer session is re-checked after that. */
const maxTimerMs = 2 ** 31 - 1;

/**
 * How long until the session's token expires, for a timer that returns an idle page to sign-in on time
 * (null: the server did not say, so the first failing call will).
 */
export function msUntilExpiry(session: Session, nowMs: number): number | null {
  if (!session.expires_at) return null;
  const expiresAt = Date.parse(session.expires_at);
  if (Number.isNaN(expiresAt)) return null;
  return Math.min(Math.max(0, expiresAt - nowMs), maxTimerMs);
}
