import { describe, expect, it } from 'vitest';
import { validateCredentials } from './validateCredentials';

describe('validateCredentials', () => {
  it('accepts a plausible email and any password to sign in', () => {
    expect(validateCredentials('sign-in', ' ada@example.com ', 'x')).toEqual({});
  });

  it('names each field that is missing or malformed', () => {
    expect(validateCredentials('sign-in', '', '')).toEqual({
      email: 'Enter your email address.',
      password: 'Enter your password.',
    });
    expect(validateCredentials('sign-in', 'ada.example.com', 'x').email).toContain('name@example.com');
  });

  it('asks a new account for at least 8 characters, with no other composition rule', () => {
    expect(validateCredentials('sign-up', 'ada@example.com', 'short').password).toBe('Use at least 8 characters.');
    expect(validateCredentials('sign-up', 'ada@example.com', 'all lowercase words')).toEqual({});
  });
});
