import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiContext } from './ApiContext';
import { createApi } from './api/endpoints';
import { createHttpClient } from './api/http';
import { ApiError, describeError } from './api/problem';
import type { Session } from './api/types';
import { AuthScreen } from './auth/AuthScreen';
import { clearDrafts } from './drafts/drafts';
import { Workspace } from './layout/Workspace';
import { msUntilExpiry, sessionReducer, type SessionState } from './sessionState';

export function App() {
  const [session, setSession] = useState<SessionState>({ kind: 'checking' });
  const api = useMemo(
    () => createApi(createHttpClient({ onUnauthorized: () => setSession((s) => sessionReducer(s, { type: 'expired' })) })),
    [],
  );

  const checkSession = useCallback(() => {
    setSession({ kind: 'checking' });
    api.session().then(
      (user) => setSession((s) => sessionReducer(s, { type: 'signed-in', user })),
      (error: unknown) =>
        setSession((s) =>
          sessionReducer(s, {
            type: 'signed-out',
            notice: error instanceof ApiError && error.status === 401 ? undefined : describeError(error),
          }),
        ),
    );
  }, [api]);

  useEffect(checkSession, [checkSession]);

  // An idle page goes back to sign-in when the token expires, not only at the next click.
  const signedInUser = session.kind === 'signed-in' ? session.user : null;
  useEffect(() => {
    const delay = signedInUser ? msUntilExpiry(signedInUser, Date.now()) : null;
    if (delay === null) return;
    const timer = setTimeout(() => setSession((s) => sessionReducer(s, { type: 'expired' })), delay);
    return () => clearTimeout(timer);
  }, [signedInUser]);

  const signedIn = useCallback((user: Session) => setSession((s) => sessionReducer(s, { type: 'signed-in', user })), []);

  const signOut = useCallback(
    async (user: Session) => {
      try {
        await api.logout();
      } finally {
        // Signing out on purpose forgets unsaved text; an expired session keeps it for the next sign-in.
        clearDrafts(sessionStorage, user.user_id);
        setSession((s) => sessionReducer(s, { type: 'signed-out' }));
      }
    },
    [api],
  );

  return (
    <ApiContext.Provider value={api}>
      {session.kind === 'checking' && (
        <main className="splash" aria-busy="true">
          <p role="status">Loading Phase4 Tasks…</p>
        </main>
      )}
      {session.kind === 'signed-out' && (
        <AuthScreen
          initialEmail={session.email}
          notice={session.notice}
          expired={session.expired}
          onSignedIn={signedIn}
        />
      )}
      {session.kind === 'signed-in' && (
        <Workspace key={session.user.user_id} user={session.user} onSignOut={() => void signOut(session.user)} />
      )}
    </ApiContext.Provider>
  );
}
