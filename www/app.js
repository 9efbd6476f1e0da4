// cognito-wasm demo page — plain ES module, no build step.
//
// The package is served by www/serve.mjs at /pkg/ (the repo's built `pkg/`
// directory). It is imported dynamically so that a missing build shows a
// readable message instead of a blank page.

const SETTINGS_KEY = 'cognito-wasm-demo:settings';
const DEFAULTS = Object.freeze({
  userPoolId: 'us-east-1_Emul4tor',
  clientId: 'emulatorclient0000000000000',
  endpoint: 'http://127.0.0.1:9229/',
});

const $ = (id) => document.getElementById(id);

// Human hints for the common errors. `byOp` overrides the generic hint for a
// given operation (the same exception means different things in different calls).
const HINTS = {
  NotAuthorizedException: {
    generic: 'Cognito refused this request.',
    byOp: {
      signIn: 'Wrong username or password.',
      confirmSignUp: 'This account may already be confirmed — try signing in.',
      resendSignUpCode: 'This account may already be confirmed — try signing in.',
    },
  },
  UserNotConfirmedException: { generic: 'Confirm your account first — enter the code in step 2 (or press “Resend code”).' },
  UsernameExistsException: { generic: 'That username is taken — pick another one, or sign in.' },
  UserNotFoundException: { generic: 'No such user — sign up first.' },
  CodeMismatchException: { generic: 'That code is wrong — check the emulator log (or press “Resend code”).' },
  ExpiredCodeException: { generic: 'The code has expired — press “Resend code” to get a new one.' },
  InvalidPasswordException: { generic: 'The password does not meet the pool’s policy (length, upper/lower case, digits, symbols).' },
  InvalidParameterException: {
    generic: 'Check the fields — something is missing or malformed.',
    byOp: { settings: 'Check the user pool id, client id and endpoint; the previous settings are still in use.' },
  },
  TooManyRequestsException: { generic: 'Too many requests — wait a moment and try again.' },
  LimitExceededException: { generic: 'A limit was exceeded — wait a while and try again.' },
  TooManyFailedAttemptsException: { generic: 'Too many failed attempts — wait a while and try again.' },
  ResourceNotFoundException: { generic: 'Check the user pool id and client id in Settings.' },
  NetworkError: { generic: 'The request never reached the server — is the emulator running? (cargo run --release -p cognito-emulator -- --port 9229) Check the endpoint in Settings.' },
};

let CognitoAuth = null; // the class, once /pkg/index.js is loaded
let auth = null; // the current CognitoAuth instance
let settings = loadSettings();
let expiryTimer = null;

// ---------------------------------------------------------------- settings

function loadSettings() {
  try {
    const raw = localStorage.getItem(SETTINGS_KEY);
    if (raw) {
      const s = JSON.parse(raw);
      return {
        userPoolId: typeof s.userPoolId === 'string' && s.userPoolId ? s.userPoolId : DEFAULTS.userPoolId,
        clientId: typeof s.clientId === 'string' && s.clientId ? s.clientId : DEFAULTS.clientId,
        endpoint: typeof s.endpoint === 'string' ? s.endpoint : DEFAULTS.endpoint,
      };
    }
  } catch {
    // corrupt entry: fall back to the defaults
  }
  return { ...DEFAULTS };
}

function saveSettings(s) {
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));
}

function fillSettingsForm() {
  $('settings-pool-id').value = settings.userPoolId;
  $('settings-client-id').value = settings.clientId;
  $('settings-endpoint').value = settings.endpoint;
  $('settings-summary').textContent =
    `${settings.userPoolId} · ${settings.clientId} · ${settings.endpoint || 'AWS'}`;
  updateCodeLink();
}

function makeAuth() {
  const config = {
    userPoolId: settings.userPoolId,
    clientId: settings.clientId,
    storage: 'localStorage',
  };
  if (settings.endpoint) config.endpoint = settings.endpoint;
  auth = new CognitoAuth(config);
}

// ---------------------------------------------------------------- messages

function showMessage(kind, title, detail = '', hint = '') {
  const el = $('message');
  el.className = `message ${kind}`;
  el.replaceChildren();
  const t = document.createElement('span');
  t.className = 'title';
  t.textContent = title;
  el.append(t);
  if (detail) el.append(document.createTextNode(` ${detail}`));
  if (hint) {
    const h = document.createElement('span');
    h.className = 'hint';
    h.textContent = hint;
    el.append(h);
  }
  delete el.dataset.errorName;
}

function clearMessage() {
  const el = $('message');
  el.className = 'message hidden';
  el.replaceChildren();
  delete el.dataset.errorName;
}

function showError(err, op) {
  const name = (err && err.name) || 'Error';
  const message = (err && err.message) || String(err);
  const h = HINTS[name];
  let hint = h ? (h.byOp && h.byOp[op]) || h.generic : '';
  if (err && err.retryable === true) hint = hint ? `${hint} (This error is retryable.)` : 'This error is retryable — try again.';
  showMessage('error', `${name}:`, message, hint);
  $('message').dataset.errorName = name;
  if (!(err && err.name && err.name !== 'Error')) console.error(err);
}

// Run an async action with all buttons disabled and a progress message.
async function run(op, progress, fn) {
  const buttons = [...document.querySelectorAll('button')];
  buttons.forEach((b) => { b.disabled = true; });
  document.body.dataset.busy = 'true';
  showMessage('info', progress);
  try {
    if (!auth && op !== 'settings') {
      const e = new Error('the client is not configured — fix the settings and press Save.');
      e.name = 'InvalidParameterException';
      throw e;
    }
    await fn();
  } catch (err) {
    showError(err, op);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
    delete document.body.dataset.busy;
    // A completed-actions counter, so automated tests can wait for "this click is done".
    document.body.dataset.actions = String(Number(document.body.dataset.actions || 0) + 1);
  }
}

// ---------------------------------------------------------------- views

function setState(state) {
  document.body.dataset.state = state;
  $('loading').classList.toggle('hidden', state !== 'loading');
  $('signed-out').classList.toggle('hidden', state !== 'signed-out');
  $('signed-in').classList.toggle('hidden', state !== 'signed-in');
  if (state !== 'signed-in' && expiryTimer) {
    clearInterval(expiryTimer);
    expiryTimer = null;
  }
}

const TIME_CLAIMS = new Set(['exp', 'iat', 'auth_time', 'nbf', 'updated_at']);
const CLAIM_ORDER = ['sub', 'cognito:username', 'email', 'email_verified', 'phone_number', 'phone_number_verified'];

function formatClaim(key, value) {
  if (TIME_CLAIMS.has(key) && typeof value === 'number') {
    return { text: String(value), when: new Date(value * 1000).toLocaleString() };
  }
  if (Array.isArray(value)) return { text: value.join(', ') };
  if (value !== null && typeof value === 'object') return { text: JSON.stringify(value) };
  return { text: String(value) };
}

function renderClaims(payload) {
  const tbody = $('claims').tBodies[0];
  tbody.replaceChildren();
  const keys = Object.keys(payload || {});
  keys.sort((a, b) => {
    const ia = CLAIM_ORDER.indexOf(a);
    const ib = CLAIM_ORDER.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
    return a.localeCompare(b);
  });
  for (const key of keys) {
    const tr = document.createElement('tr');
    tr.dataset.claim = key;
    const k = document.createElement('td');
    k.textContent = key;
    const v = document.createElement('td');
    const { text, when } = formatClaim(key, payload[key]);
    v.textContent = text;
    if (when) {
      const s = document.createElement('span');
      s.className = 'when';
      s.textContent = when;
      v.append(s);
    }
    tr.append(k, v);
    tbody.append(tr);
  }
}

function relative(ms) {
  const minutes = Math.round(Math.abs(ms) / 60000);
  if (minutes === 0) return ms >= 0 ? 'in less than a minute' : 'just now';
  const unit = minutes === 1 ? 'minute' : 'minutes';
  return ms >= 0 ? `in ${minutes} ${unit}` : `${minutes} ${unit} ago`;
}

function renderExpiry(expiresAt) {
  const el = $('expiry');
  el.dataset.expiresAt = String(expiresAt);
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    el.textContent = 'Token expiry unknown.';
    return;
  }
  const when = new Date(expiresAt).toLocaleTimeString();
  const delta = expiresAt - Date.now();
  el.textContent = delta >= 0
    ? `Tokens expire at ${when} (${relative(delta)}).`
    : `Tokens expired at ${when} (${relative(delta)}); they are refreshed on the next getSession().`;
}

function showSignedIn(session) {
  const p = session.idTokenPayload || {};
  $('whoami').textContent = p['cognito:username'] || p.email || p.sub || '(unknown)';
  renderClaims(p);
  renderExpiry(session.expiresAt);
  $('raw-id-token').textContent = session.idToken || '';
  $('raw-access-token').textContent = session.accessToken || '';
  $('raw-refresh-token').textContent = session.refreshToken || '';
  setState('signed-in');
  if (expiryTimer) clearInterval(expiryTimer);
  expiryTimer = setInterval(() => renderExpiry(session.expiresAt), 15000);
}

function showSignedOut() {
  setState('signed-out');
}

async function refreshView() {
  const session = await auth.getSession();
  if (session) showSignedIn(session);
  else showSignedOut();
  return session;
}

function updateCodeLink() {
  const link = $('code-link');
  const user = $('confirm-username').value.trim();
  if (!settings.endpoint) {
    link.removeAttribute('href');
    return;
  }
  try {
    const base = settings.endpoint.endsWith('/') ? settings.endpoint : `${settings.endpoint}/`;
    link.href = new URL(`__emulator__/codes/${encodeURIComponent(user || 'USERNAME')}`, base).href;
  } catch {
    link.removeAttribute('href');
  }
}

// "by email to a***@e***", or '' when Cognito did not say.
function deliveryPhrase(d) {
  if (!d) return '';
  const medium = (d.deliveryMedium || '').toLowerCase() || 'message';
  return d.destination ? `by ${medium} to ${d.destination}` : `by ${medium}`;
}

// ---------------------------------------------------------------- actions

function wire() {
  $('settings-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next = {
      userPoolId: $('settings-pool-id').value.trim(),
      clientId: $('settings-client-id').value.trim(),
      endpoint: $('settings-endpoint').value.trim(),
    };
    run('settings', 'Saving settings…', async () => {
      const previous = { settings, auth };
      settings = next;
      try {
        makeAuth();
        // The options are checked on the first call: keep the old ones if these are malformed.
        await refreshView();
      } catch (err) {
        if (!err || err.name === 'InvalidParameterException' || err.name === 'TypeError') {
          ({ settings, auth } = previous);
          throw err;
        }
        saveSettings(settings);
        fillSettingsForm();
        showSignedOut();
        throw err;
      }
      saveSettings(settings);
      fillSettingsForm();
      showMessage('success', 'Settings saved.', `Using ${settings.endpoint || 'the AWS endpoint'}.`);
    });
  });

  $('settings-reset').addEventListener('click', () => {
    $('settings-pool-id').value = DEFAULTS.userPoolId;
    $('settings-client-id').value = DEFAULTS.clientId;
    $('settings-endpoint').value = DEFAULTS.endpoint;
    $('settings-form').requestSubmit();
  });

  $('signup-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const username = $('signup-username').value.trim();
    const email = $('signup-email').value.trim();
    const password = $('signup-password').value;
    run('signUp', 'Creating account…', async () => {
      const r = await auth.signUp({ username, password, attributes: { email } });
      $('confirm-username').value = username;
      $('signin-username').value = username;
      updateCodeLink();
      if (r && r.userConfirmed) {
        showMessage('success', 'Account created and already confirmed.', 'You can sign in now.');
        $('signin-password').focus();
      } else {
        showMessage('success', 'Account created.',
          `${r && r.codeDeliveryDetails ? `A code was sent ${deliveryPhrase(r.codeDeliveryDetails)}. ` : ''}Enter the confirmation code in step 2.`);
        $('confirm-code').focus();
      }
    });
  });

  $('confirm-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const username = $('confirm-username').value.trim();
    const code = $('confirm-code').value.trim();
    run('confirmSignUp', 'Confirming…', async () => {
      await auth.confirmSignUp({ username, code });
      $('signin-username').value = username;
      $('confirm-code').value = '';
      showMessage('success', 'Account confirmed.', 'You can sign in now.');
      $('signin-password').focus();
    });
  });

  $('resend-code').addEventListener('click', () => {
    const username = $('confirm-username').value.trim();
    if (!username) {
      showMessage('error', 'Username required:', 'enter the username to resend the code to.');
      $('confirm-username').focus();
      return;
    }
    run('resendSignUpCode', 'Sending a new code…', async () => {
      const r = await auth.resendSignUpCode({ username });
      const how = deliveryPhrase(r && r.codeDeliveryDetails);
      showMessage('success', how ? `New code sent ${how}.` : 'New code sent.');
    });
  });

  $('confirm-username').addEventListener('input', updateCodeLink);

  $('signin-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const username = $('signin-username').value.trim();
    const password = $('signin-password').value;
    run('signIn', 'Signing in…', async () => {
      let r;
      try {
        r = await auth.signIn({ username, password });
      } catch (err) {
        if (err && err.name === 'UserNotConfirmedException') {
          $('confirm-username').value = username;
          updateCodeLink();
        }
        throw err;
      }
      const step = r && r.nextStep && r.nextStep.signInStep;
      if (r && r.isSignedIn) {
        $('signin-password').value = '';
        const session = await refreshView();
        if (session) showMessage('success', 'Signed in.');
        else showMessage('error', 'Signed in, but no session was stored.', 'getSession() returned null.');
      } else {
        showMessage('info', 'Sign-in needs another step:', `${step || 'unknown'} (not handled by this demo).`);
      }
    });
  });

  $('signout').addEventListener('click', () => {
    const who = $('whoami').textContent;
    run('signOut', 'Signing out…', async () => {
      await auth.signOut();
      showSignedOut();
      if (who) $('signin-username').value = who;
      showMessage('success', 'Signed out.');
    });
  });
}

// ---------------------------------------------------------------- start

async function main() {
  fillSettingsForm();
  wire();
  try {
    ({ CognitoAuth } = await import('/pkg/index.js'));
    if (typeof CognitoAuth !== 'function') throw new Error('/pkg/index.js does not export CognitoAuth');
  } catch (err) {
    setState('error');
    $('loading').classList.add('hidden');
    showMessage('error', 'Could not load the cognito-wasm package:', err && err.message ? err.message : String(err),
      'Build it with “make pkg” and serve the page with “node www/serve.mjs”, which serves the built package at /pkg/.');
    console.error(err);
    return;
  }
  try {
    makeAuth();
    await refreshView();
  } catch (err) {
    showSignedOut();
    showError(err, 'getSession');
    $('settings').open = true;
  }
}

main();
