import { ApiError, messageOf } from '../api/api-error.ts';

/** What to tell people about a failed call, by the server's code. */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'FORBIDDEN':
        return `Access refused: you may not see this. (${error.message})`;
      case 'NOT_FOUND':
        return `Not found: ${error.message}`;
      case 'UNAUTHENTICATED':
        return 'Your session has ended: sign in again.';
      case 'NETWORK':
        return `The server did not answer: ${error.message}`;
    }
  }
  return messageOf(error);
}

/**
 * A failed load, said plainly, with the server's code kept in `data-code` (e.g. FORBIDDEN) so
 * a refusal reads differently from an outage; `retry` adds a button to try again.
 */
export function FailureNotice({ error, retry, testId = 'failure' }: { error: unknown; retry?: () => void; testId?: string }) {
  const code = error instanceof ApiError ? error.code : 'ERROR';
  return (
    <div role="alert" className="error" data-testid={testId} data-code={code}>
      {describeFailure(error)}
      {retry && code !== 'FORBIDDEN' && code !== 'NOT_FOUND' && (
        <>
          {' '}
          <button type="button" onClick={retry}>
            Try again
          </button>
        </>
      )}
    </div>
  );
}
