// cognito-wasm demo page — plain ES module, no build step.
//
// The package is served by www/serve.mjs at /pkg/ (the repo's built `pkg/`
// directory). It is imported dynamically so that a missing build shows a
// readable message instead of a blank page.
//
// Views (body[data-state]): loading · signed-out · challenge (a sign-in step,
// body[data-step] names it) · signed-in · error.

import { renderQr } from './qr.js';

const SETTINGS_KEY = 'cognito-wasm-demo:settings';
// Who the pending sign-in is for (the SDK keeps the sign-in itself; this is for labels and code links).
const SIGNING_IN_KEY = 'cognito-wasm-demo:signing-in';
const AUTH_FLOWS = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'USER_AUTH', 'CUSTOM_WITH_SRP', 'CUSTOM_WITHOUT_SRP'];
const DEFAULTS = Object.freeze({
  userPoolId: 'us-east-1_Emul4tor',
  clientId: 'emulatorclient0000000000000',
  endpoint: 'http://127.0.0.1:9229/',
  clientSecret: '',
  // The emulator serves every pool's managed login on its own origin; a real pool's is its domain.
  oauthDomain: 'http://127.0.0.1:9229',
  authFlow: 'USER_SRP_AUTH',
});
/** Where managed login sends the browser back, after a sign-in and a sign-out: this page. */
const appUrl = () => `${location.origin}${location.pathname}`;

const $ = (id) => document.getElementById(id);

// Human hints for the common errors. `byOp` overrides the generic hint for a
// given operation (the same exception means different things in different calls).
const HINTS = {
  NotAuthorizedException: {
    generic: 'Cognito refused this request.',
    byOp: {
      signIn: 'Wrong username or password.',
      confirmSignIn: 'Cognito refused this answer, or the sign-in took longer than 3 minutes — if it persists, cancel and sign in again.',
      confirmSignUp: 'This account may already be confirmed — try signing in.',
      resendSignUpCode: 'This account may already be confirmed — try signing in.',
      updatePassword: 'The current password is wrong.',
      settings: 'Check the client id and the client secret in Settings.',
    },
  },
  UserNotConfirmedException: { generic: 'Confirm your account first — enter the code in step 2 (or press “Resend code”).' },
  UsernameExistsException: { generic: 'That username is taken — pick another one, or sign in.' },
  UserNotFoundException: { generic: 'No such user — sign up first.' },
  CodeMismatchException: {
    generic: 'That code is wrong — check the emulator log (or press “Resend code”).',
    byOp: {
      confirmSignIn: 'That code is wrong — check it and try again (the emulator serves the latest one at the link below the form).',
      verifyTOTPSetup: 'That code is wrong or too old — enter the code the app shows now.',
      confirmResetPassword: 'That code is wrong — check it, or press “Send a new code”.',
      confirmUserAttribute: 'That code is wrong — check it, or send a new one.',
    },
  },
  EnableSoftwareTokenMFAException: { generic: 'The authenticator code is wrong or too old — enter the code the app shows now.' },
  ExpiredCodeException: {
    generic: 'The code has expired — press “Resend code” to get a new one.',
    byOp: { confirmResetPassword: 'The code has expired — press “Send a new code”.' },
  },
  InvalidPasswordException: { generic: 'The password does not meet the pool’s policy (length, upper/lower case, digits, symbols).' },
  InvalidParameterException: {
    generic: 'Check the fields — something is missing or malformed.',
    byOp: { settings: 'Check the user pool id, client id and endpoint; the previous settings are still in use.' },
  },
  AliasExistsException: { generic: 'Another account already uses this email address or phone number.' },
  PasswordResetRequiredException: { generic: 'This password was reset by an administrator — use “Forgot your password?” to choose a new one.' },
  TooManyRequestsException: { generic: 'Too many requests — wait a moment and try again.' },
  LimitExceededException: { generic: 'A limit was exceeded — wait a while and try again.' },
  TooManyFailedAttemptsException: { generic: 'Too many failed attempts — wait a while and try again.' },
  ResourceNotFoundException: { generic: 'Check the user pool id and client id in Settings.' },
  UserAlreadyAuthenticatedException: { generic: 'Someone is already signed in here — sign out first.' },
  SignInPendingException: { generic: 'Another sign-in is waiting for its next step — finish it, or press “Cancel sign-in”.' },
  NoPendingSignInException: { generic: 'Nothing is waiting to be confirmed (the sign-in ended or expired) — sign in again.' },
  UnsupportedChallengeException: { generic: 'The pool asked for a challenge this version of cognito-wasm cannot answer.' },
  DeviceNotTrackedException: { generic: 'This device is not tracked — the pool may not remember devices, or this device was forgotten.' },
  UserUnAuthenticatedException: { generic: 'Nobody is signed in — sign in first.' },
  NetworkError: { generic: 'The request never reached the server — is the emulator running? (cargo run --release -p cognito-emulator -- --port 9229) Check the endpoint in Settings.' },
};

// What each sign-in step asks for, as a person reads it.
const STEP_TITLES = {
  CONFIRM_SIGN_IN_WITH_SMS_CODE: 'Enter the code we texted you',
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: 'Enter the code we emailed you',
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: 'Enter the code from your authenticator app',
  CONTINUE_SIGN_IN_WITH_TOTP_SETUP: 'Set up an authenticator app',
  CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED: 'Choose a new password',
  CONTINUE_SIGN_IN_WITH_MFA_SELECTION: 'How should we check it’s you?',
  CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION: 'Choose a second factor to set up',
  CONTINUE_SIGN_IN_WITH_EMAIL_SETUP: 'Add an email address for sign-in codes',
  CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE: 'Answer the challenge',
  CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION: 'Choose how to sign in',
  CONFIRM_SIGN_IN_WITH_PASSWORD: 'Enter your password',
};
const MFA_LABELS = { SMS: 'Text message (SMS)', TOTP: 'Authenticator app (TOTP)', EMAIL: 'Email' };
const FACTOR_LABELS = {
  EMAIL_OTP: 'Email me a code',
  SMS_OTP: 'Text me a code',
  PASSWORD: 'Password',
  PASSWORD_SRP: 'Password (SRP — it never leaves this device)',
};
const MFA_VALUES = [
  ['', 'keep'],
  ['ENABLED', 'enable'],
  ['PREFERRED', 'enable, preferred'],
  ['NOT_PREFERRED', 'enable, not preferred'],
  ['DISABLED', 'disable'],
];

let CognitoAuth = null; // the class, once /pkg/index.js is loaded
let auth = null; // the current CognitoAuth instance
let settings = loadSettings();
let expiryTimer = null;
let signedInUser = ''; // cognito:username of the signed-in user

// ---------------------------------------------------------------- settings

function loadSettings() {
  try {
    const raw = localStorage.getItem(SETTINGS_KEY);
    if (raw) {
      const s = JSON.parse(raw);
      const str = (v, d) => (typeof v === 'string' ? v : d);
      return {
        userPoolId: str(s.userPoolId, '') || DEFAULTS.userPoolId,
        clientId: str(s.clientId, '') || DEFAULTS.clientId,
        endpoint: str(s.endpoint, DEFAULTS.endpoint),
        clientSecret: str(s.clientSecret, ''),
        oauthDomain: str(s.oauthDomain, DEFAULTS.oauthDomain),
        authFlow: AUTH_FLOWS.includes(s.authFlow) ? s.authFlow : DEFAULTS.authFlow,
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
  $('settings-client-secret').value = settings.clientSecret;
  $('settings-oauth-domain').value = settings.oauthDomain;
  $('settings-auth-flow').value = settings.authFlow;
  $('federated').classList.toggle('hidden', !settings.oauthDomain);
  $('redirect-url').textContent = appUrl();
  $('settings-summary').textContent = [
    settings.userPoolId,
    settings.clientId + (settings.clientSecret ? ' (with secret)' : ''),
    settings.endpoint || 'AWS',
    settings.authFlow,
  ].join(' · ');
  $('signin-flow').textContent = settings.authFlow;
  $('signin-password').placeholder = settings.authFlow === 'CUSTOM_WITHOUT_SRP' ? 'not needed for this flow' : '';
  updateCodeLinks();
}

function makeAuth() {
  const config = {
    userPoolId: settings.userPoolId,
    clientId: settings.clientId,
    storage: 'localStorage',
    appName: 'cognito-wasm demo',
  };
  if (settings.endpoint) config.endpoint = settings.endpoint;
  if (settings.clientSecret) config.clientSecret = settings.clientSecret;
  if (settings.oauthDomain) config.oauth = { domain: settings.oauthDomain, redirectSignIn: appUrl(), redirectSignOut: appUrl() };
  // Made on a return from managed login, the client completes that sign-in by itself; a failure comes as an event.
  auth = new CognitoAuth(config);
  auth.onAuthStateChange((e) => {
    if (e.event === 'signInWithRedirectFailure') showError(e.error, 'signInWithRedirect');
  });
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

function showError(err, op, extraHint = '') {
  const name = (err && err.name) || 'Error';
  const message = (err && err.message) || String(err);
  const h = HINTS[name];
  let hint = h ? (h.byOp && h.byOp[op]) || h.generic : '';
  if (extraHint) hint = hint ? `${hint} ${extraHint}` : extraHint;
  if (err && err.retryable === true) hint = hint ? `${hint} (This error is retryable.)` : 'This error is retryable — try again.';
  showMessage('error', `${name}:`, message, hint);
  $('message').dataset.errorName = name;
  if (!(err && err.name && err.name !== 'Error')) console.error(err);
}

function fail(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

// Run an async action with all buttons disabled and a progress message.
async function run(op, progress, fn) {
  const buttons = [...document.querySelectorAll('button')];
  buttons.forEach((b) => { b.disabled = true; });
  document.body.dataset.busy = 'true';
  showMessage('info', progress);
  try {
    if (!auth && op !== 'settings') {
      throw fail('InvalidParameterException', 'the client is not configured — fix the settings and press Save.');
    }
    await fn();
  } catch (err) {
    showError(err, op, err && err.extraHint);
  } finally {
    document.querySelectorAll('button').forEach((b) => { b.disabled = false; });
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
  $('challenge').classList.toggle('hidden', state !== 'challenge');
  $('signed-in').classList.toggle('hidden', state !== 'signed-in');
  if (state !== 'challenge') delete document.body.dataset.step;
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
  // cognito:groups is a list of names; identities (federated users) a list of objects.
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return { text: value.join(', ') };
  if (value !== null && typeof value === 'object') return { text: JSON.stringify(value) };
  return { text: String(value) };
}

function orderKeys(keys) {
  return keys.sort((a, b) => {
    const ia = CLAIM_ORDER.indexOf(a);
    const ib = CLAIM_ORDER.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
    return a.localeCompare(b);
  });
}

function renderClaims(payload) {
  const tbody = $('claims').tBodies[0];
  tbody.replaceChildren();
  for (const key of orderKeys(Object.keys(payload || {}))) {
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
  signedInUser = p['cognito:username'] || '';
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
  signedInUser = '';
  setState('signed-out');
  resetAccountPanels();
}

/** Shows what getSession() says; loads the account panels when signed in. */
async function refreshView() {
  const session = await auth.getSession();
  if (session) {
    showSignedIn(session);
    await loadAccount();
  } else {
    showSignedOut();
  }
  return session;
}

/** On start and after new settings: a pending sign-in's step, else the session. */
async function restore() {
  const pending = await auth.getPendingSignIn();
  if (pending && !pending.isSignedIn && pending.nextStep) {
    showStep(pending.nextStep, sessionStorage.getItem(SIGNING_IN_KEY) || '');
    return 'pending';
  }
  sessionStorage.removeItem(SIGNING_IN_KEY);
  return (await refreshView()) ? 'signed-in' : 'signed-out';
}

// The emulator's test-only code endpoint for `user` (null with real AWS).
function emulatorCodeUrl(user) {
  if (!settings.endpoint) return null;
  try {
    const base = settings.endpoint.endsWith('/') ? settings.endpoint : `${settings.endpoint}/`;
    const url = new URL(`__emulator__/codes/${encodeURIComponent(user || 'USERNAME')}`, base);
    url.searchParams.set('poolId', settings.userPoolId);
    return url.href;
  } catch {
    return null;
  }
}

function setLink(link, url) {
  if (url) link.href = url;
  else link.removeAttribute('href');
}

function updateCodeLinks() {
  setLink($('code-link'), emulatorCodeUrl($('confirm-username').value.trim()));
  setLink($('step-code-link'), emulatorCodeUrl(sessionStorage.getItem(SIGNING_IN_KEY) || ''));
}

// "by email to a***@e***", or '' when Cognito did not say.
function deliveryPhrase(d) {
  if (!d) return '';
  const medium = d.deliveryMedium === 'SMS' ? 'SMS' : (d.deliveryMedium || '').toLowerCase() || 'message';
  return d.destination ? `by ${medium} to ${d.destination}` : `by ${medium}`;
}

// ---------------------------------------------------------------- sign-in steps

const STEP_FORMS = {
  CONFIRM_SIGN_IN_WITH_SMS_CODE: 'step-code-form',
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: 'step-code-form',
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: 'step-code-form',
  CONTINUE_SIGN_IN_WITH_TOTP_SETUP: 'step-totp-form',
  CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED: 'step-new-password-form',
  CONTINUE_SIGN_IN_WITH_MFA_SELECTION: 'step-mfa-form',
  CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION: 'step-mfa-form',
  CONTINUE_SIGN_IN_WITH_EMAIL_SETUP: 'step-email-form',
  CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE: 'step-custom-form',
  CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION: 'step-factor-form',
  CONFIRM_SIGN_IN_WITH_PASSWORD: 'step-password-form',
};

function choiceButton(label, value, attr) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'choice';
  b.dataset[attr] = value;
  const strong = document.createElement('span');
  strong.textContent = label;
  const code = document.createElement('code');
  code.textContent = value;
  b.append(strong, code);
  b.addEventListener('click', () => answer(value, {}, `Sending “${value}”…`));
  return b;
}

/** Renders the form for `nextStep` (a SignInResult's nextStep that is not DONE). */
function showStep(nextStep, username) {
  const step = nextStep.signInStep;
  setState('challenge');
  document.body.dataset.step = step;
  $('challenge').dataset.step = step;
  $('challenge-step').textContent = step;
  $('challenge-title').textContent = STEP_TITLES[step] || 'Another step';
  $('challenge-user').textContent = username || '';
  for (const form of document.querySelectorAll('#challenge .step-form')) form.classList.add('hidden');
  const formId = STEP_FORMS[step];
  if (!formId) {
    showMessage('error', 'Unknown step:', step, 'This demo does not know this step; press “Cancel sign-in”.');
    return;
  }
  const form = $(formId);
  form.classList.remove('hidden');
  form.reset();
  updateCodeLinks();

  switch (step) {
    case 'CONFIRM_SIGN_IN_WITH_SMS_CODE':
    case 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE': {
      const how = deliveryPhrase(nextStep.codeDeliveryDetails);
      $('step-code-where').textContent = how ? `We sent a code ${how}.` : 'We sent you a code.';
      $('step-code-form').dataset.medium = step === 'CONFIRM_SIGN_IN_WITH_SMS_CODE' ? 'SMS' : 'EMAIL';
      $('step-code-emulator').classList.toggle('hidden', !settings.endpoint);
      break;
    }
    case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
      $('step-code-where').textContent = 'Open your authenticator app and enter the 6-digit code it shows for this account.';
      $('step-code-form').dataset.medium = 'TOTP';
      $('step-code-emulator').classList.add('hidden');
      break;
    case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP': {
      const { sharedSecret, setupUri } = nextStep.totpSetupDetails || {};
      $('step-totp-secret').textContent = groupSecret(sharedSecret || '');
      $('step-totp-secret').dataset.secret = sharedSecret || '';
      $('step-totp-uri').textContent = setupUri || '';
      renderQr($('step-totp-qr'), setupUri || '');
      break;
    }
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED': {
      const box = $('step-missing-attributes');
      box.replaceChildren();
      for (const name of nextStep.missingAttributes || []) {
        const label = document.createElement('label');
        label.append(document.createTextNode(`${name} `));
        const note = document.createElement('span');
        note.className = 'muted';
        note.textContent = '(required by the pool)';
        const input = document.createElement('input');
        input.dataset.attribute = name;
        input.id = `step-attr-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
        input.required = true;
        input.spellcheck = false;
        input.autocomplete = 'off';
        if (name === 'email') input.type = 'email';
        if (name === 'phone_number') { input.type = 'tel'; input.placeholder = '+15555550100'; }
        label.append(note, input);
        box.append(label);
      }
      break;
    }
    case 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION':
    case 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION': {
      $('step-mfa-where').textContent = step === 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION'
        ? 'Your account has more than one second factor. Which one do you want to use now?'
        : 'This pool requires a second factor. Which one would you like to set up?';
      const box = $('step-mfa-options');
      box.replaceChildren(...(nextStep.allowedMFATypes || []).map((t) => choiceButton(MFA_LABELS[t] || t, t, 'mfa')));
      break;
    }
    case 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE': {
      const dl = $('step-custom-info');
      dl.replaceChildren();
      const info = nextStep.additionalInfo || {};
      for (const [k, v] of Object.entries(info)) {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v;
        dd.dataset.key = k;
        dl.append(dt, dd);
      }
      if (!Object.keys(info).length) {
        const dd = document.createElement('dd');
        dd.className = 'muted';
        dd.textContent = '(the challenge has no public parameters)';
        dl.append(dd);
      }
      break;
    }
    case 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION': {
      const box = $('step-factor-options');
      box.replaceChildren(...(nextStep.availableChallenges || []).map((c) => choiceButton(FACTOR_LABELS[c] || c, c, 'factor')));
      break;
    }
    default:
      break;
  }
  const first = form.querySelector('input:not([type=hidden]), button.choice');
  if (first) first.focus();
}

/** "JBSW Y3DP EHPK 3PXP": easier to type from the screen. */
function groupSecret(s) {
  return s.replace(/(.{4})(?=.)/g, '$1 ');
}

/** After signIn / confirmSignIn: signed in, or the next step's form. */
async function handleSignInResult(r, username) {
  if (r && r.isSignedIn) {
    sessionStorage.removeItem(SIGNING_IN_KEY);
    $('signin-password').value = '';
    const session = await refreshView();
    if (session) showMessage('success', 'Signed in.');
    else showMessage('error', 'Signed in, but no session was stored.', 'getSession() returned null.');
    return;
  }
  const step = r && r.nextStep && r.nextStep.signInStep;
  if (!step) throw fail('ProtocolError', `unexpected sign-in result: ${JSON.stringify(r)}`);
  showStep(r.nextStep, username);
  showMessage('info', `Next step: ${STEP_TITLES[step] || step}.`);
}

/** confirmSignIn with the answer to the current step. */
function answer(challengeResponse, options, progress) {
  const username = sessionStorage.getItem(SIGNING_IN_KEY) || '';
  run('confirmSignIn', progress, async () => {
    const input = { challengeResponse };
    if (options && Object.keys(options).length) input.options = options;
    try {
      const r = await auth.confirmSignIn(input);
      await handleSignInResult(r, username);
    } catch (err) {
      // Some refusals end the sign-in (an expired session, too many wrong codes): then start over.
      const pending = await auth.getPendingSignIn().catch(() => null);
      if (!pending) {
        sessionStorage.removeItem(SIGNING_IN_KEY);
        showSignedOut();
        if (err) err.extraHint = 'This sign-in has ended — sign in again.';
      }
      throw err;
    }
  });
}

async function startSignIn(input) {
  sessionStorage.setItem(SIGNING_IN_KEY, input.username);
  let r;
  try {
    r = await auth.signIn(input);
  } catch (err) {
    if (err && err.name === 'UserNotConfirmedException') {
      $('confirm-username').value = input.username;
      updateCodeLinks();
    }
    if (err && err.name === 'SignInPendingException') {
      // Show the sign-in that is still waiting, so it can be finished or cancelled.
      const pending = await auth.getPendingSignIn().catch(() => null);
      if (pending && pending.nextStep) showStep(pending.nextStep, '');
    } else {
      sessionStorage.removeItem(SIGNING_IN_KEY);
    }
    throw err;
  }
  await handleSignInResult(r, input.username);
}

// ---------------------------------------------------------------- account panels (signed in)

function resetAccountPanels() {
  $('attributes').tBodies[0].replaceChildren();
  delete $('attributes').dataset.loaded;
  $('attr-confirm-form').classList.add('hidden');
  $('totp-setup-form').classList.add('hidden');
  $('totp-setup-start').classList.remove('hidden');
  $('device-list').replaceChildren();
  delete $('device-list').dataset.loaded;
  delete $('mfa').dataset.loaded;
  $('delete-confirm').classList.add('hidden');
  $('delete-account').classList.remove('hidden');
  $('password-form').reset();
}

/** Loads the profile, MFA and device panels; a panel that fails says so itself. */
async function loadAccount() {
  await loadAttributes();
  await loadMfa();
  await loadDevices();
}

function panelError(panel, err) {
  let el = panel.querySelector('.panel-error');
  if (!el) {
    el = document.createElement('p');
    el.className = 'panel-error';
    panel.querySelector('.panel-head').after(el);
  }
  if (!err) {
    el.remove();
    return;
  }
  el.textContent = `${err.name || 'Error'}: ${err.message || err}`;
  el.dataset.errorName = err.name || 'Error';
}

async function loadAttributes() {
  let attrs;
  try {
    attrs = await auth.fetchUserAttributes();
    panelError($('profile'), null);
  } catch (err) {
    panelError($('profile'), err);
    return;
  }
  const tbody = $('attributes').tBodies[0];
  tbody.replaceChildren();
  for (const name of orderKeys(Object.keys(attrs))) {
    if (name.endsWith('_verified')) continue; // shown as a badge next to the attribute
    const tr = document.createElement('tr');
    tr.dataset.attribute = name;
    const k = document.createElement('td');
    k.textContent = name;
    const v = document.createElement('td');
    v.className = 'value';
    v.textContent = attrs[name];
    const verified = attrs[`${name}_verified`];
    if (verified !== undefined) {
      const badge = document.createElement('span');
      badge.className = `badge ${verified === 'true' ? 'ok' : 'warn'}`;
      badge.textContent = verified === 'true' ? 'verified' : 'not verified';
      badge.dataset.verified = verified;
      v.append(' ', badge);
    }
    const actions = document.createElement('td');
    actions.className = 'actions';
    if (name !== 'sub') {
      const edit = document.createElement('button');
      edit.type = 'button';
      edit.className = 'ghost small';
      edit.textContent = 'Edit';
      edit.dataset.edit = name;
      edit.addEventListener('click', () => {
        $('attr-name').value = name;
        $('attr-value').value = attrs[name];
        $('attr-value').focus();
      });
      actions.append(edit);
    }
    if (verified === 'false') {
      const send = document.createElement('button');
      send.type = 'button';
      send.className = 'ghost small';
      send.textContent = 'Verify';
      send.dataset.verify = name;
      send.addEventListener('click', () => run('sendUserAttributeVerificationCode', `Sending a code for ${name}…`, async () => {
        const r = await auth.sendUserAttributeVerificationCode({ userAttributeKey: name });
        askAttributeCode(name, r && r.codeDeliveryDetails);
        showMessage('success', `Code sent${deliveryPhrase(r && r.codeDeliveryDetails) ? ` ${deliveryPhrase(r.codeDeliveryDetails)}` : ''}.`, `Enter it below to verify ${name}.`);
      }));
      actions.append(send);
    }
    tr.append(k, v, actions);
    tbody.append(tr);
  }
  $('attributes').dataset.loaded = 'true';
}

function askAttributeCode(name, delivery) {
  $('attr-confirm-name').textContent = name;
  $('attr-confirm-form').dataset.attribute = name;
  const how = deliveryPhrase(delivery);
  $('attr-confirm-where').textContent = `${how ? `We sent a code ${how}` : 'We sent a code'} to verify ${name}.`;
  $('attr-confirm-code').value = '';
  $('attr-confirm-form').classList.remove('hidden');
  $('attr-confirm-code').focus();
}

async function loadMfa() {
  let pref;
  try {
    pref = await auth.fetchMFAPreference();
    panelError($('mfa'), null);
  } catch (err) {
    panelError($('mfa'), err);
    return;
  }
  const enabled = pref.enabled || [];
  $('mfa').dataset.enabled = enabled.join(',');
  $('mfa').dataset.preferred = pref.preferred || '';
  $('mfa-summary').textContent = enabled.length
    ? `Enabled: ${enabled.map((t) => MFA_LABELS[t] || t).join(', ')}${pref.preferred ? ` · preferred: ${MFA_LABELS[pref.preferred] || pref.preferred}` : ''}.`
    : 'No second factor is enabled for this account.';
  for (const [type, id] of [['SMS', 'mfa-sms'], ['TOTP', 'mfa-totp'], ['EMAIL', 'mfa-email']]) {
    const now = enabled.includes(type) ? (pref.preferred === type ? 'preferred' : 'on') : 'off';
    const select = $(id);
    select.replaceChildren(...MFA_VALUES.map(([value, label]) => {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = value ? label : `${label}: ${now}`;
      return o;
    }));
  }
  $('mfa').dataset.loaded = 'true';
}

function deviceThisKey() {
  if (!signedInUser) return null;
  return localStorage.getItem(`CognitoIdentityServiceProvider.${settings.clientId}.${signedInUser}.deviceKey`);
}

async function loadDevices() {
  let devices;
  try {
    devices = await auth.fetchDevices();
    panelError($('devices'), null);
  } catch (err) {
    panelError($('devices'), err);
    return;
  }
  const list = $('device-list');
  list.replaceChildren();
  const mine = deviceThisKey();
  for (const d of devices) {
    const li = document.createElement('li');
    li.dataset.deviceKey = d.id;
    const main = document.createElement('div');
    main.className = 'device-main';
    const name = document.createElement('span');
    name.className = 'device-name';
    name.textContent = d.name || '(unnamed device)';
    name.title = d.name || '';
    main.append(name);
    if (d.id === mine) {
      li.dataset.thisDevice = 'true';
      const badge = document.createElement('span');
      badge.className = 'badge ok';
      badge.textContent = 'this device';
      main.append(' ', badge);
    }
    const meta = document.createElement('span');
    meta.className = 'device-meta';
    const seen = d.lastAuthenticatedAt || d.lastModifiedAt || d.createdAt;
    meta.textContent = `${d.id}${seen ? ` · last sign-in ${new Date(seen).toLocaleString()}` : ''}`;
    main.append(meta);
    const forget = document.createElement('button');
    forget.type = 'button';
    forget.className = 'ghost small';
    forget.textContent = 'Forget';
    forget.dataset.forget = d.id;
    forget.addEventListener('click', () => run('forgetDevice', 'Forgetting the device…', async () => {
      await auth.forgetDevice(d.id);
      await loadDevices();
      showMessage('success', 'Device forgotten.', 'Signing in on it will ask for MFA again.');
    }));
    li.append(main, forget);
    list.append(li);
  }
  if (!devices.length) {
    const li = document.createElement('li');
    li.className = 'empty muted';
    li.textContent = 'No remembered devices.';
    list.append(li);
  }
  list.dataset.loaded = 'true';
  list.dataset.count = String(devices.length);
}

// ---------------------------------------------------------------- wiring

function wire() {
  $('settings-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next = {
      userPoolId: $('settings-pool-id').value.trim(),
      clientId: $('settings-client-id').value.trim(),
      endpoint: $('settings-endpoint').value.trim(),
      clientSecret: $('settings-client-secret').value.trim(),
      oauthDomain: $('settings-oauth-domain').value.trim(),
      authFlow: $('settings-auth-flow').value,
    };
    run('settings', 'Saving settings…', async () => {
      const previous = { settings, auth };
      settings = next;
      try {
        makeAuth();
        // The options are checked on the first call: keep the old ones if these are malformed.
        await restore();
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
      showMessage('success', 'Settings saved.', `Using ${settings.endpoint || 'the AWS endpoint'}${settings.clientSecret ? ' with a client secret' : ''}; sign-in flow ${settings.authFlow}.`);
    });
  });

  $('settings-reset').addEventListener('click', () => {
    $('settings-pool-id').value = DEFAULTS.userPoolId;
    $('settings-client-id').value = DEFAULTS.clientId;
    $('settings-endpoint').value = DEFAULTS.endpoint;
    $('settings-client-secret').value = DEFAULTS.clientSecret;
    $('settings-oauth-domain').value = DEFAULTS.oauthDomain;
    $('settings-auth-flow').value = DEFAULTS.authFlow;
    $('settings-form').requestSubmit();
  });

  // -------------------------------------------------------------- sign-up, confirm

  $('signup-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const username = $('signup-username').value.trim();
    const email = $('signup-email').value.trim();
    const phone = $('signup-phone').value.trim();
    const password = $('signup-password').value;
    const autoSignIn = $('signup-autosignin').checked;
    run('signUp', 'Creating account…', async () => {
      const attributes = { email };
      if (phone) attributes.phone_number = phone;
      const input = { username, password, attributes };
      if (autoSignIn) input.autoSignIn = true;
      const r = await auth.signUp(input);
      $('confirm-username').value = username;
      $('signin-username').value = username;
      updateCodeLinks();
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
      const r = await auth.confirmSignUp({ username, code });
      $('signin-username').value = username;
      $('confirm-code').value = '';
      if (r && r.autoSignIn) {
        sessionStorage.setItem(SIGNING_IN_KEY, username);
        await handleSignInResult(r.autoSignIn, username);
        if (r.autoSignIn.isSignedIn) showMessage('success', 'Account confirmed and signed in.');
        return;
      }
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

  $('confirm-username').addEventListener('input', updateCodeLinks);

  // -------------------------------------------------------------- sign-in

  $('signin-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const username = $('signin-username').value.trim();
    const password = $('signin-password').value;
    const authFlow = settings.authFlow;
    const needsPassword = !['CUSTOM_WITHOUT_SRP', 'USER_AUTH'].includes(authFlow);
    if (needsPassword && !password) {
      showMessage('error', 'Password required:', `the ${authFlow} flow signs in with a password.`,
        'Enter it, or use “Passwordless — choose how”.');
      $('signin-password').focus();
      return;
    }
    run('signIn', 'Signing in…', async () => {
      const input = { username, authFlow };
      if (password && authFlow !== 'CUSTOM_WITHOUT_SRP') input.password = password;
      // USER_AUTH with a password typed: ask for SRP straight away; without one, the pool offers its choices.
      if (authFlow === 'USER_AUTH' && password) input.preferredChallenge = 'PASSWORD_SRP';
      await startSignIn(input);
    });
  });

  $('signin-choose').addEventListener('click', () => {
    const username = $('signin-username').value.trim();
    if (!username) {
      showMessage('error', 'Username required:', 'enter your username, then choose how to sign in.');
      $('signin-username').focus();
      return;
    }
    run('signIn', 'Asking the pool how you can sign in…', () => startSignIn({ username, authFlow: 'USER_AUTH' }));
  });

  $('cancel-signin').addEventListener('click', () => {
    run('cancelSignIn', 'Cancelling…', async () => {
      const username = sessionStorage.getItem(SIGNING_IN_KEY) || '';
      await auth.cancelSignIn();
      sessionStorage.removeItem(SIGNING_IN_KEY);
      showSignedOut();
      if (username) $('signin-username').value = username;
      showMessage('success', 'Sign-in cancelled.');
    });
  });

  // The step forms.
  $('step-code-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const code = $('step-code').value.trim();
    if (!code) return $('step-code').focus();
    answer(code, {}, 'Checking the code…');
  });

  $('step-totp-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const code = $('step-totp-code').value.trim();
    if (!code) return $('step-totp-code').focus();
    const name = $('step-totp-device-name').value.trim();
    answer(code, name ? { friendlyDeviceName: name } : {}, 'Checking the code…');
  });

  $('step-new-password-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const password = $('step-new-password').value;
    if (!password) return $('step-new-password').focus();
    const userAttributes = {};
    for (const input of $('step-missing-attributes').querySelectorAll('input[data-attribute]')) {
      userAttributes[input.dataset.attribute] = input.value.trim();
    }
    answer(password, Object.keys(userAttributes).length ? { userAttributes } : {}, 'Setting the new password…');
  });

  $('step-email-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const email = $('step-email').value.trim();
    if (!email) return $('step-email').focus();
    answer(email, {}, 'Sending a code to that address…');
  });

  $('step-custom-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    answer($('step-custom-answer').value.trim(), {}, 'Sending the answer…');
  });

  $('step-password-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const password = $('step-password').value;
    if (!password) return $('step-password').focus();
    answer(password, {}, 'Checking the password…');
  });

  // Choice forms have only buttons; Enter does nothing.
  for (const id of ['step-mfa-form', 'step-factor-form']) $(id).addEventListener('submit', (ev) => ev.preventDefault());

  // -------------------------------------------------------------- forgot password

  $('forgot-open').addEventListener('click', () => {
    $('forgot-form').classList.remove('hidden');
    $('forgot-username').value = $('signin-username').value.trim();
    $('forgot-username').focus();
  });

  $('forgot-close').addEventListener('click', () => closeForgot());

  const sendResetCode = () => {
    const username = $('forgot-username').value.trim();
    if (!username) return $('forgot-username').focus();
    run('resetPassword', 'Sending a reset code…', async () => {
      const r = await auth.resetPassword({ username });
      const how = deliveryPhrase(r && r.nextStep && r.nextStep.codeDeliveryDetails);
      $('forgot-where').textContent = how ? `We sent a code ${how}.` : 'We sent you a code.';
      $('forgot-stage2').classList.remove('hidden');
      $('forgot-submit').classList.remove('hidden');
      $('forgot-send').textContent = 'Send a new code';
      $('forgot-send').classList.replace('primary', 'ghost');
      $('forgot-form').dataset.stage = 'code';
      showMessage('success', how ? `Reset code sent ${how}.` : 'Reset code sent.', 'Enter it with your new password.');
      $('forgot-code').focus();
    });
  };
  $('forgot-send').addEventListener('click', sendResetCode);
  $('forgot-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if ($('forgot-form').dataset.stage !== 'code') return sendResetCode();
    const username = $('forgot-username').value.trim();
    const confirmationCode = $('forgot-code').value.trim();
    const newPassword = $('forgot-new-password').value;
    if (!confirmationCode) return $('forgot-code').focus();
    if (!newPassword) return $('forgot-new-password').focus();
    run('confirmResetPassword', 'Setting the new password…', async () => {
      await auth.confirmResetPassword({ username, confirmationCode, newPassword });
      closeForgot();
      $('signin-username').value = username;
      $('signin-password').value = '';
      showMessage('success', 'Password changed.', 'Sign in with the new password.');
      $('signin-password').focus();
    });
  });

  for (const [id, provider, name] of [['signin-google', 'Google', 'Google'], ['signin-facebook', 'Facebook', 'Facebook'], ['signin-managed', undefined, 'managed login']]) {
    // The page goes to managed login (and comes back signed in), unless the options are refused first.
    $(id).addEventListener('click', () => run('signInWithRedirect', `Going to ${name}…`, () => auth.signInWithRedirect({ provider })));
  }

  // -------------------------------------------------------------- signed in

  $('signout').addEventListener('click', () => {
    const who = $('whoami').textContent;
    run('signOut', 'Signing out…', async () => {
      const { logoutUrl } = await auth.signOut(); // after a managed-login sign-in, the page goes to its /logout
      showSignedOut();
      if (logoutUrl) return showMessage('info', 'Signing out of managed login…');
      if (who) $('signin-username').value = who;
      showMessage('success', 'Signed out.');
    });
  });

  $('signout-global').addEventListener('click', () => {
    const who = $('whoami').textContent;
    run('signOut', 'Signing out everywhere…', async () => {
      await auth.signOut({ global: true });
      showSignedOut();
      if (who) $('signin-username').value = who;
      showMessage('success', 'Signed out everywhere.', 'Every session of this user has been revoked.');
    });
  });

  $('attributes-refresh').addEventListener('click', () => run('fetchUserAttributes', 'Loading the profile…', async () => {
    await loadAttributes();
    showMessage('success', 'Profile loaded.');
  }));

  $('attr-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = $('attr-name').value.trim();
    const value = $('attr-value').value.trim();
    run('updateUserAttributes', `Saving ${name}…`, async () => {
      const r = await auth.updateUserAttributes({ userAttributes: { [name]: value } });
      const result = r && r[name];
      await loadAttributes();
      if (result && !result.isUpdated && result.nextStep && result.nextStep.updateAttributeStep === 'CONFIRM_ATTRIBUTE_WITH_CODE') {
        askAttributeCode(name, result.nextStep.codeDeliveryDetails);
        showMessage('success', `${name} saved, but not verified yet.`,
          `A code was sent ${deliveryPhrase(result.nextStep.codeDeliveryDetails) || 'to it'}: enter it below.`);
      } else {
        showMessage('success', `${name} saved.`);
      }
      $('attr-value').value = '';
    });
  });

  $('attr-confirm-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const userAttributeKey = $('attr-confirm-form').dataset.attribute;
    const confirmationCode = $('attr-confirm-code').value.trim();
    if (!confirmationCode) return $('attr-confirm-code').focus();
    run('confirmUserAttribute', `Verifying ${userAttributeKey}…`, async () => {
      await auth.confirmUserAttribute({ userAttributeKey, confirmationCode });
      $('attr-confirm-form').classList.add('hidden');
      await loadAttributes();
      showMessage('success', `${userAttributeKey} verified.`);
    });
  });

  $('mfa-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = {};
    for (const [key, id] of [['sms', 'mfa-sms'], ['totp', 'mfa-totp'], ['email', 'mfa-email']]) {
      if ($(id).value) input[key] = $(id).value;
    }
    if (!Object.keys(input).length) {
      showMessage('error', 'Nothing to change:', 'pick a new setting for SMS, the authenticator app or email first.');
      return;
    }
    run('updateMFAPreference', 'Saving MFA preferences…', async () => {
      await auth.updateMFAPreference(input);
      await loadMfa();
      showMessage('success', 'MFA preferences saved.', $('mfa-summary').textContent);
    });
  });

  $('totp-setup-start').addEventListener('click', () => run('setUpTOTP', 'Asking Cognito for a secret…', async () => {
    const { sharedSecret, setupUri } = await auth.setUpTOTP();
    $('totp-secret').textContent = groupSecret(sharedSecret);
    $('totp-secret').dataset.secret = sharedSecret;
    $('totp-uri').textContent = setupUri;
    await renderQr($('totp-qr'), setupUri);
    $('totp-setup-form').classList.remove('hidden');
    $('totp-setup-start').classList.add('hidden');
    $('totp-code').value = '';
    showMessage('info', 'Scan the QR code with your authenticator app,', 'then enter the code it shows.');
    $('totp-code').focus();
  }));

  $('totp-setup-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const code = $('totp-code').value.trim();
    if (!code) return $('totp-code').focus();
    const name = $('totp-device-name').value.trim();
    run('verifyTOTPSetup', 'Checking the code…', async () => {
      await auth.verifyTOTPSetup(name ? { code, friendlyDeviceName: name } : { code });
      $('totp-setup-form').classList.add('hidden');
      $('totp-setup-start').classList.remove('hidden');
      await loadMfa();
      $('mfa-totp').value = 'PREFERRED';
      showMessage('success', 'Authenticator app verified.',
        'To be asked for its codes at sign-in, press “Save preferences” (it is selected as preferred).');
    });
  });

  $('totp-cancel').addEventListener('click', () => {
    $('totp-setup-form').classList.add('hidden');
    $('totp-setup-start').classList.remove('hidden');
  });

  $('devices-refresh').addEventListener('click', () => run('fetchDevices', 'Loading devices…', async () => {
    await loadDevices();
    showMessage('success', 'Devices loaded.');
  }));

  $('device-remember').addEventListener('click', () => run('rememberDevice', 'Remembering this device…', async () => {
    await auth.rememberDevice();
    await loadDevices();
    showMessage('success', 'This device is remembered.', 'Signing in here will skip MFA.');
  }));

  $('device-forget-this').addEventListener('click', () => run('forgetDevice', 'Forgetting this device…', async () => {
    await auth.forgetDevice();
    await loadDevices();
    showMessage('success', 'This device is forgotten.', 'Signing in here will ask for MFA again.');
  }));

  $('password-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const oldPassword = $('password-old').value;
    const newPassword = $('password-new').value;
    run('updatePassword', 'Changing the password…', async () => {
      await auth.updatePassword({ oldPassword, newPassword });
      $('password-form').reset();
      showMessage('success', 'Password changed.', 'Use the new one next time you sign in.');
    });
  });

  $('delete-account').addEventListener('click', () => {
    $('delete-confirm-user').textContent = $('whoami').textContent;
    $('delete-confirm').classList.remove('hidden');
    $('delete-account').classList.add('hidden');
    $('delete-confirm-no').focus();
  });

  $('delete-confirm-no').addEventListener('click', () => {
    $('delete-confirm').classList.add('hidden');
    $('delete-account').classList.remove('hidden');
  });

  $('delete-confirm-yes').addEventListener('click', () => {
    const who = $('whoami').textContent;
    run('deleteUser', 'Deleting the account…', async () => {
      await auth.deleteUser();
      showSignedOut();
      showMessage('success', 'Account deleted.', `${who} no longer exists in this pool.`);
    });
  });
}

function closeForgot() {
  const form = $('forgot-form');
  form.reset();
  form.classList.add('hidden');
  delete form.dataset.stage;
  $('forgot-stage2').classList.add('hidden');
  $('forgot-submit').classList.add('hidden');
  $('forgot-send').textContent = 'Send a code';
  $('forgot-send').classList.replace('ghost', 'primary');
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
    const returning = new URLSearchParams(location.search).has('code');
    makeAuth();
    const state = await restore();
    if (state === 'pending') {
      showMessage('info', 'Continuing the sign-in you started.', 'Finish this step, or press “Cancel sign-in”.');
    } else if (state === 'signed-in' && returning && !document.querySelector('#message.error')) {
      showMessage('success', 'Signed in through managed login.');
    }
  } catch (err) {
    showSignedOut();
    showError(err, 'getSession');
    $('settings').open = true;
  }
}

main();
