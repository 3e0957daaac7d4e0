import { describe, expect, it } from 'vitest';
import { sessionReducer, type SessionState } from './sessionState';

const user = { user_id: 'u1', email: 'ada@example.com' };

describe('sessionReducer', () => {
  it('returns an expired session to sign-in with the email filled in and says why', () => {
    expect(sessionReducer({ kind: 'signed-in', user }, { type: 'expired' })).toEqual({
      kind: 'signed-out',
      expired: true,
      email: 'ada@example.com',
    });
  });

  it('ignores further 401s once signed out', () => {
    const signedOut: SessionState = { kind: 'signed-out', expired: true, email: 'ada@example.com' };
    expect(sessionReducer(signedOut, { type: 'expired' })).toBe(signedOut);
    expect(sessionReducer({ kind: 'checking' }, { type: 'expired' })).toEqual({ kind: 'checking' });
  });

  it('signs in and out', () => {
    expect(sessionReducer({ kind: 'checking' }, { type: 'signed-in', user })).toEqual({ kind: 'signed-in', user });
    expect(sessionReducer({ kind: 'signed-in', user }, { type: 'signed-out', notice: 'bye' })).toEqual({
      kind: 'signed-out',
      expired: false,
      notice: 'bye',
    });
  });
});
