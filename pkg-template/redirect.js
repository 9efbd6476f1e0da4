// Sign-in through managed login (Cognito's hosted pages, and through them Google, Facebook, Apple, Amazon, OIDC
// and SAML providers): the authorization-code grant with PKCE, the browser's half. The platform's URL, crypto
// and fetch do the URL, the PKCE challenge and the token request here, for a tenth of the bytes the same took in
// Rust; the module (`src/flows/redirect.rs`, reached through `call(OAUTH_ANSWER, …)`) names the endpoints'
// errors, checks the ID token against the flow's nonce and this pool and client, and stores the session as
// every other sign-in's.

/** `CognitoAuth::call`'s number for managed login's answers (src/api/mod.rs). */
const OAUTH_ANSWER = 26;
/** How long a started flow waits for the browser to come back: a provider's pages and a second factor. */
const FLOW_LIFETIME_MS = 15 * 60 * 1000;
const DEFAULT_SCOPES = ['openid', 'email', 'profile'];
/** What a return adds to the callback URL, taken out of the address bar once read. */
const RETURN_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri'];
const REDIRECT_OPTIONS = ['provider', 'customState', 'loginHint', 'lang', 'prompt', 'nonce'];
/** Amplify's names of two social providers, for Cognito's (`{ custom: 'Apple' }` is a provider named Apple). */
const PROVIDER_ALIASES = { Apple: 'SignInWithApple', Amazon: 'LoginWithAmazon' };

/** An error as the module's are: `name`, `message`, and whether trying the same call again may succeed. */
export function fail(name, message, retryable = false) {
  const error = new Error(message);
  error.name = name;
  error.retryable = retryable;
  return error;
}

const invalid = (message) => fail('InvalidParameterException', message);

/** The `oauth` option (the module has checked it when the instance was made). */
function settings(opts) {
  const o = opts.oauth;
  if (!o) throw invalid('redirect sign-in needs the oauth option: { domain, redirectSignIn, … }');
  return o;
}

const endpoint = (opts, path) => settings(opts).domain.replace(/\/+$/, '') + path;
const pendingKey = (opts) => `cognito-wasm.${opts.clientId}.pendingRedirect`;
const withoutQuery = (url) => url.split(/[?#]/)[0];
/** The query of `href`, before any fragment (`new URL` would throw on a relative one). */
const queryOf = (href) => new URLSearchParams(href.includes('?') ? href.slice(href.indexOf('?') + 1).split('#')[0] : '');

function base64url(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `n` bytes of the platform's crypto-strong randomness, base64url: 32 make a 43-character PKCE verifier. */
const randomText = (n) => base64url(crypto.getRandomValues(new Uint8Array(n)));

/** Whether `href` is a return from managed login: the callback URL with a `state` and a `code` or an `error`. */
export function isReturn(opts, href) {
  const o = opts?.oauth;
  if (typeof o?.redirectSignIn !== 'string' || typeof href !== 'string') return false;
  const params = queryOf(href);
  return withoutQuery(href) === withoutQuery(o.redirectSignIn) && params.has('state') &&
    (params.has('code') || params.has('error'));
}

/**
 * `buildAuthorizeUrl(args)` → `{ url, flow }`: the authorize URL (response_type=code, PKCE S256, state, nonce)
 * and what its return needs, which a server keeps (its session, an encrypted cookie) and passes back to
 * `exchangeAuthorizationCode`. `flow` holds the PKCE verifier: never send it to the browser unencrypted.
 */
export async function buildAuthorizeUrl(opts, args = {}) {
  const o = settings(opts);
  if (typeof args !== 'object' || args === null) throw invalid('the redirect options must be an object');
  for (const key of Object.keys(args)) {
    if (!REDIRECT_OPTIONS.includes(key)) throw invalid(`unknown redirect option \`${key}\`, expected one of: ${REDIRECT_OPTIONS.join(', ')}`);
    if (key !== 'provider' && args[key] !== undefined && typeof args[key] !== 'string') throw invalid(`${key} must be a string`);
  }
  const provider = typeof args.provider === 'object' && args.provider !== null ? args.provider.custom
    : (PROVIDER_ALIASES[args.provider] ?? args.provider);
  if (provider !== undefined && (typeof provider !== 'string' || provider === '')) {
    throw invalid("provider is 'Google', 'Facebook', 'SignInWithApple', 'LoginWithAmazon', 'COGNITO' or { custom: 'ProviderName' }");
  }
  if (typeof crypto?.subtle?.digest !== 'function') {
    throw fail('UnsupportedEnvironmentError', 'redirect sign-in needs crypto.subtle, which browsers give only to https pages and localhost');
  }
  const flow = {
    state: randomText(32),
    verifier: randomText(32),
    nonce: args.nonce || randomText(16),
    redirectUri: o.redirectSignIn,
    customState: args.customState,
    expiresAt: Date.now() + FLOW_LIFETIME_MS,
  };
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(flow.verifier));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: opts.clientId,
    redirect_uri: flow.redirectUri,
    scope: (o.scopes ?? DEFAULT_SCOPES).join(' '),
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  });
  const optional = { identity_provider: provider, login_hint: args.loginHint, lang: args.lang, prompt: args.prompt };
  for (const [name, value] of Object.entries(optional)) if (value) query.set(name, value);
  return { url: `${endpoint(opts, '/oauth2/authorize')}?${query}`, flow };
}

/** `signInWithRedirect(args)`: keeps the flow in this tab's sessionStorage and sends the browser to managed login. */
export async function signInWithRedirect(opts, args) {
  if (typeof window === 'undefined' || typeof sessionStorage === 'undefined') {
    throw fail('UnsupportedEnvironmentError',
      'signInWithRedirect needs a browser window; elsewhere buildAuthorizeUrl() and exchangeAuthorizationCode() do the two halves');
  }
  const { url, flow } = await buildAuthorizeUrl(opts, args);
  sessionStorage.setItem(pendingKey(opts), JSON.stringify(flow));
  window.location.assign(url);
}

/** This tab's pending flow, removed whatever comes next: a state is good once, and no verifier stays behind. */
function takeFlow(opts) {
  try {
    const text = sessionStorage.getItem(pendingKey(opts));
    sessionStorage.removeItem(pendingKey(opts));
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Completes a redirect sign-in from the URL the browser came back on, with `flow` (a server's) or this tab's.
 * Rejects with OAuthStateMismatchException, OAuthFlowExpiredException, the provider's or the token endpoint's
 * OAuth error by name (`access_denied`, `invalid_grant`, …) or OAuthNonceMismatchException; a failure changes
 * no session. Resolves `{ customState }`.
 */
export async function exchangeAuthorizationCode(opts, call, href, flow) {
  flow ??= typeof sessionStorage === 'undefined' ? null : takeFlow(opts);
  if (typeof href !== 'string') throw invalid('the URL the browser came back on must be a string');
  if (typeof flow !== 'object' || flow === null || typeof flow.state !== 'string') {
    throw fail('OAuthStateMismatchException',
      'no redirect sign-in of this tab is waiting for this answer (already completed, or started in another tab)');
  }
  const params = queryOf(href);
  if (params.get('state') !== flow.state) {
    throw fail('OAuthStateMismatchException', 'the state in the URL is not the one this sign-in sent');
  }
  if (!(Date.now() < flow.expiresAt)) {
    throw fail('OAuthFlowExpiredException', 'the redirect sign-in took longer than 15 minutes: start it again');
  }
  const error = params.get('error');
  if (error) return call(OAUTH_ANSWER, { error, errorDescription: params.get('error_description') ?? undefined });
  const code = params.get('code');
  if (!code) throw invalid('the URL has neither code nor error');
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: opts.clientId,
    code,
    redirect_uri: flow.redirectUri,
    code_verifier: flow.verifier,
  });
  // A client with a secret authenticates with HTTP Basic, as Cognito requires. Not repeated on failure: the
  // code is single-use, and a new sign-in is the way on.
  const basic = opts.clientSecret && `Basic ${btoa(`${opts.clientId}:${opts.clientSecret}`)}`;
  const [status, body] = await request(opts, '/oauth2/token', basic, form, false);
  return call(OAUTH_ANSWER, { status, body, nonce: flow.nonce, customState: flow.customState });
}

/** `fetchUserInfo()` → `/oauth2/userInfo`'s attributes for the signed-in user (as far as the scopes reach). */
export async function fetchUserInfo(opts, call, authorization) {
  if (!authorization) throw fail('UserUnAuthenticatedException', 'nobody is signed in');
  const [status, body] = await request(opts, '/oauth2/userInfo', authorization, undefined, true);
  return call(OAUTH_ANSWER, { status, body });
}

/** One request to a managed-login endpoint within the client's request timeout → `[status, body text]`. */
async function request(opts, path, authorization, form, retryable) {
  const timeoutMs = opts.requestTimeoutMs ?? 10_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const headers = form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {};
    if (authorization) headers.Authorization = authorization;
    const response = await fetch(endpoint(opts, path), {
      method: form ? 'POST' : 'GET',
      headers,
      body: form?.toString(),
      cache: 'no-store',
      signal: controller.signal,
    });
    return [response.status, await response.text()];
  } catch (error) {
    if (controller.signal.aborted) throw fail('TimeoutError', `managed login did not answer within ${timeoutMs} ms`, retryable);
    const cause = error?.cause?.message ? ` (${error.cause.message})` : '';
    throw fail('NetworkError', `managed login could not be reached: ${error?.message}${cause}`, retryable);
  } finally {
    clearTimeout(timer);
  }
}

/** Takes `code`, `state` and the error parameters out of the address bar, so a reload does not bring them back. */
export function clearReturn() {
  const url = new URL(window.location.href);
  for (const name of RETURN_PARAMS) url.searchParams.delete(name);
  window.history.replaceState(window.history.state, '', url);
}
