import { useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../api/api-error.ts';
import { session } from '../api/session.ts';

/** Sign-in with a name and password; `onSignedIn` runs once the session is live. */
export function LoginPage({ onSignedIn }: { onSignedIn?: () => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(name, password);
      onSignedIn?.();
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status === 401 ? 'Wrong name or password.' : messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-form" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Sheaf</h1>
        <label>
          Name
          <input data-testid="login-name" name="name" autoComplete="username" required autoFocus value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Password
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p role="alert" className="error" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" data-testid="login-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
