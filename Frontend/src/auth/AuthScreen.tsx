import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useApi } from '../ApiContext';
import { ApiError, describeError, type FieldErrors } from '../api/problem';
import type { Session } from '../api/types';
import { Field } from '../components/Field';
import { passwordMinLength, validateCredentials, type AuthMode } from './validateCredentials';

interface AuthScreenProps {
  initialEmail?: string | undefined;
  notice?: string | undefined;
  /** The session ran out while the person was working: say so, and that their typing was kept. */
  expired: boolean;
  onSignedIn: (user: Session) => void;
}

export function AuthScreen({ initialEmail, notice, expired, onSignedIn }: AuthScreenProps) {
  const api = useApi();
  const [mode, setMode] = useState<AuthMode>('sign-in');
  const [email, setEmail] = useState(initialEmail ?? '');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    (initialEmail ? passwordRef : emailRef).current?.focus();
  }, [initialEmail]);

  const signingUp = mode === 'sign-up';
  const title = signingUp ? 'Create your account' : 'Sign in';

  function switchMode(next: AuthMode) {
    setMode(next);
    setErrors({});
    setFormError(null);
    setInfo(null);
    headingRef.current?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found = validateCredentials(mode, email, password);
    setErrors(found);
    setFormError(null);
    setInfo(null);
    if (found.email) return emailRef.current?.focus();
    if (found.password) return passwordRef.current?.focus();

    setBusy(true);
    const credentials = { email: email.trim(), password };
    try {
      if (signingUp) {
        await api.register(credentials);
        // The server signs a new account in straight away; if that failed, ask for a normal sign-in.
        const user = await api.session().catch(() => null);
        if (user) return onSignedIn(user);
        setMode('sign-in');
        setInfo('Your account is ready. Sign in to continue.');
      } else {
        onSignedIn(await api.login(credentials));
      }
    } catch (error) {
      showFailure(error);
    } finally {
      setBusy(false);
    }
  }

  function showFailure(error: unknown) {
    if (error instanceof ApiError && error.status === 401) {
      setFormError('That email and password do not match an account.');
      passwordRef.current?.focus();
      return;
    }
    if (error instanceof ApiError && error.status === 409) {
      setErrors({ email: 'An account with this email already exists. Sign in instead.' });
      emailRef.current?.focus();
      return;
    }
    if (error instanceof ApiError && Object.keys(error.fieldErrors).length > 0) {
      const { email: emailError, password: passwordError, ...rest } = error.fieldErrors;
      setErrors({ ...(emailError ? { email: emailError } : {}), ...(passwordError ? { password: passwordError } : {}) });
      const other = Object.values(rest).join(' ');
      if (other) setFormError(other);
      (emailError ? emailRef : passwordRef).current?.focus();
      return;
    }
    setFormError(describeError(error));
  }

  return (
    <main className="auth-screen">
      <div className="auth-card">
        <p className="brand brand-large">Phase4 Tasks</p>
        <p className="tagline">Your to-do list, with an assistant that can change it for you.</p>

        {expired && (
          <p className="notice" role="alert">
            Your session has ended. Sign in again — anything you were typing is kept.
          </p>
        )}
        {notice && (
          <p className="notice notice-error" role="alert">
            {notice}
          </p>
        )}

        <form onSubmit={submit} noValidate aria-labelledby="auth-heading">
          <h1 id="auth-heading" ref={headingRef} tabIndex={-1}>
            {title}
          </h1>
          <Field id="auth-email" label="Email" error={errors.email}>
            {(control) => (
              <input
                {...control}
                ref={emailRef}
                type="email"
                name="email"
                autoComplete={signingUp ? 'email' : 'username'}
                inputMode="email"
                spellCheck={false}
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
            )}
          </Field>
          <Field
            id="auth-password"
            label="Password"
            error={errors.password}
            hint={signingUp ? `At least ${passwordMinLength} characters. A long passphrase is best.` : undefined}
          >
            {(control) => (
              <input
                {...control}
                ref={passwordRef}
                type="password"
                name="password"
                autoComplete={signingUp ? 'new-password' : 'current-password'}
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            )}
          </Field>
          {formError && (
            <p className="form-error" role="alert">
              {formError}
            </p>
          )}
          {info && (
            <p className="notice" role="status">
              {info}
            </p>
          )}
          <button type="submit" className="button-primary button-wide" aria-busy={busy}>
            {busy ? (signingUp ? 'Creating your account…' : 'Signing in…') : signingUp ? 'Create account' : 'Sign in'}
          </button>
        </form>

        <p className="auth-switch">
          {signingUp ? 'Already have an account?' : 'New here?'}{' '}
          <button type="button" className="button-link" onClick={() => switchMode(signingUp ? 'sign-in' : 'sign-up')}>
            {signingUp ? 'Sign in' : 'Create an account'}
          </button>
        </p>
      </div>
    </main>
  );
}
