import { describe, expect, it } from 'vitest';
import { msUntilExpiry, sessionReducer, type SessionState } from './sessionState';

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

describe('msUntilExpiry', () => {
  const now = Date.parse('2026-01-01T10:00:00Z');

  it('counts down to the expiry the server gave, and is 0 once it has passed', () => {
    expect(msUntilExpiry({ ...user, expires_at: '2026-01-01T11:00:00Z' }, now)).toBe(3_600_000);
    expect(msUntilExpiry({ ...user, expires_at: '2026-01-01T09:00:00Z' }, now)).toBe(0);
  });

  it('stays within what a timer accepts', () => {
    expect(msUntilExpiry({ ...user, expires_at: '2099-01-01T00:00:00Z' }, now)).toBe(2 ** 31 - 1);
  });

  it('sets no timer without a usable expiry', () => {
    expect(msUntilExpiry(user, now)).toBeNull();
    expect(msUntilExpiry({ ...user, expires_at: 'soon' }, now)).toBeNull();
  });
});
