'use client';

// The root layout itself failed: nothing of the app's shell is left, so this page brings its own <html> and
// plain styles (globals.css came with the layout that failed).
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 560, margin: '15vh auto', padding: 24, lineHeight: 1.5 }}>
        <div role="alert">
          <h1 style={{ fontSize: 18 }}>mcpscope stopped working</h1>
          <p>An error happened while loading the app. Live sessions keep running on the server.</p>
          <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12, padding: 8, border: '1px solid #8884', borderRadius: 4 }}>
            {error.name}: {error.message.slice(0, 500)}
            {error.digest ? `\n(digest ${error.digest})` : ''}
          </pre>
          <button type="button" onClick={reset}>
            Try again
          </button>{' '}
          <button type="button" onClick={() => window.location.assign('/')}>
            New connection
          </button>
        </div>
      </body>
    </html>
  );
}
