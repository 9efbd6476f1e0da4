// The scenario every consumer app runs against the emulator: sign-up → confirm (code from the emulator's test
// endpoint) → sign-in → getSession → a typed error → sign-out. The runner copies this file into each app, which
// passes in what it imported from 'cognito-wasm', so this file itself imports nothing.

export const POOL_ID = 'us-east-1_Emul4tor';
export const CLIENT_ID = 'emulatorclient0000000000000';

function check(ok, what, value) {
  if (!ok) throw new Error(`${what}: unexpected ${JSON.stringify(value)}`);
}

export async function signUpToSignOut({ CognitoAuth, isCognitoError }, { endpoint, label }) {
  const steps = [];
  const auth = new CognitoAuth({ userPoolId: POOL_ID, clientId: CLIENT_ID, endpoint });
  const username = `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const password = 'Passw0rd!';

  const up = await auth.signUp({ username, password, attributes: { email: `${username}@example.com` } });
  check(up.userConfirmed === false && /^[0-9a-f-]{36}$/.test(up.userSub), 'signUp', up);
  steps.push('signUp');

  const response = await fetch(`${endpoint}__emulator__/codes/${encodeURIComponent(username)}`);
  check(response.ok, 'emulator code', response.status);
  const { code } = await response.json();
  const confirmed = await auth.confirmSignUp({ username, code });
  check(confirmed.isSignUpComplete === true, 'confirmSignUp', confirmed);
  steps.push('confirmSignUp');

  const signedIn = await auth.signIn({ username, password });
  check(signedIn.isSignedIn === true && signedIn.nextStep.signInStep === 'DONE', 'signIn', signedIn);
  steps.push('signIn');

  const session = await auth.getSession();
  check(
    session?.idTokenPayload['cognito:username'] === username &&
      session.accessTokenPayload.token_use === 'access' &&
      session.expiresAt > Date.now(),
    'getSession',
    session,
  );
  steps.push('getSession');

  const again = await auth.signIn({ username, password }).then(() => 'resolved', (e) => e);
  check(isCognitoError(again, 'UserAlreadyAuthenticatedException') && again.retryable === false, 'isCognitoError',
    again instanceof Error ? { name: again.name, message: again.message } : again);
  steps.push('isCognitoError');

  await auth.signOut();
  check((await auth.getSession()) === null, 'getSession after signOut', 'a session');
  steps.push('signOut');
  return { username, steps };
}

/** Whether this page's CSP forbids eval (it does when served with the consumers' CSP header). */
export function evalBlocked() {
  try {
    new Function('return 1')();
    return false;
  } catch {
    return true;
  }
}

/** Browser pages: runs `scenario(endpoint)` and shows the outcome in `document.body.dataset.status` and `#result`. */
export async function runPage(scenario) {
  const endpoint = new URLSearchParams(location.search).get('endpoint');
  const out = document.getElementById('result');
  let result;
  try {
    if (!endpoint) throw new Error('no ?endpoint= in the page URL');
    result = { ok: true, evalBlocked: evalBlocked(), ...(await scenario(endpoint)) };
  } catch (e) {
    result = { ok: false, error: `${e?.name}: ${e?.message}`, stack: String(e?.stack) };
  }
  out.textContent = JSON.stringify(result, null, 2);
  document.body.dataset.status = result.ok ? 'passed' : 'failed';
}
