import type { FieldErrors } from '../api/problem';

export type AuthMode = 'sign-in' | 'sign-up';

export const passwordMinLength = 8;

/** The backend's rules (a plausible email; 8+ characters for a new password), checked before the round trip. */
export function validateCredentials(mode: AuthMode, email: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  const trimmed = email.trim();
  if (trimmed === '') errors.email = 'Enter your email address.';
  else if (!/^[^\s@]+@[^\s@]+$/.test(trimmed)) errors.email = 'Enter an email address like name@example.com.';
  if (password === '') errors.password = 'Enter your password.';
  else if (mode === 'sign-up' && password.length < passwordMinLength) {
    errors.password = `Use at least ${passwordMinLength} characters.`;
  }
  return errors;
}
