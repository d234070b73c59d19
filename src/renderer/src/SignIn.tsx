import { useState } from 'react';
import { signIn } from './api/client.ts';

/** Shown in a browser without a token: the server prints a URL that signs in; pasting the token works too. */
export function SignIn({ problem }: { problem?: string }): React.JSX.Element {
  const [token, setToken] = useState('');
  return (
    <main className="sign-in">
      <h1>WasmForge</h1>
      <p>{problem ?? 'This server needs its access token.'}</p>
      <p>Open the URL that <code>wasmforge serve</code> printed (it ends in <code>#token=…</code>), or paste the token here:</p>
      <form onSubmit={(e) => { e.preventDefault(); signIn(token); window.location.reload(); }}>
        <label className="field"><span>Token</span><input value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" spellCheck={false} /></label>
        <button type="submit" className="primary" disabled={token.trim().length < 16}>Sign in</button>
      </form>
    </main>
  );
}
