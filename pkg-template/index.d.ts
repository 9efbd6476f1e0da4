/**
 * An Amazon Cognito user-pool client for browsers, Web Workers and Node ≥ 20, compiled from Rust to WebAssembly.
 *
 * ```ts
 * import { CognitoAuth, isCognitoError } from 'cognito-wasm';
 * const auth = new CognitoAuth({ userPoolId: 'us-east-1_Ab12Cd34', clientId: '1example23456789' });
 * const { nextStep } = await auth.signIn({ username: 'alice', password: 'Correct-horse-1' });
 * ```
 *
 * @packageDocumentation
 */

// ---------------------------------------------------------------------------------------------------------------
// Options

/**
 * Where sessions are kept: a Web Storage area, memory, cookies (values too large for one cookie are split over
 * several), or any object with getItem/setItem/removeItem, synchronous or returning Promises. Every one uses
 * amazon-cognito-identity-js's and Amplify's keys.
 */
export type StorageOption = 'localStorage' | 'sessionStorage' | 'memory' | { cookie: CookieOptions } | KeyValueStorage;

export interface CookieOptions {
  domain?: string;
  /** `/` by default. */
  path?: string;
  /**
   * On by default, except on plain-http loopback pages (localhost, 127.0.0.1, [::1]). On any other plain-http
   * page Secure cookies would be dropped silently, so Secure there — the default or `true` — is refused with
   * `InvalidParameterException`: pass `false`. `false` is honoured everywhere.
   */
  secure?: boolean;
  /** `'lax'` by default; `'none'` requires Secure. */
  sameSite?: 'strict' | 'lax' | 'none';
  /** Days until the cookies expire; 365 by default. */
  expires?: number;
}

/** A storage the app supplies, e.g. React Native's AsyncStorage or an encrypted store. */
export interface KeyValueStorage {
  getItem(key: string): string | null | undefined | Promise<string | null | undefined>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/** Options for {@link CognitoAuth}. Unknown fields are refused with `InvalidParameterException`. */
export interface CognitoAuthOptions {
  /** The user pool id, e.g. `us-east-1_Ab12Cd34`; its prefix is the region. */
  userPoolId: string;
  /** The app client id. */
  clientId: string;
  /** For app clients with a secret (server-side or trusted apps only): every call then carries SECRET_HASH. */
  clientSecret?: string;
  /** Cognito's endpoint, `http(s)://…`; defaults to `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint?: string;
  /** Where sessions are kept: `localStorage` by default where it exists, else `memory` (Node, Web Workers). */
  storage?: StorageOption;
  /** Names this device when the pool tracks devices; defaults to `navigator.userAgent`. */
  deviceName?: string;
  /** The issuer authenticator apps show for TOTP set-up URIs; defaults to `Cognito`. */
  appName?: string;
  /**
   * Refresh tokens when they expire within this many seconds; 60 by default, at most 86400. A margin longer than
   * half a token's lifetime is shortened to half of it, so that a session is never refreshed on every call.
   */
  refreshMarginSeconds?: number;
  /** Keep tokens fresh in the background while the page is open. */
  autoRefresh?: boolean;
  /**
   * How long one request to Cognito may take, from sending it to the last byte of the answer, before it is
   * abandoned with `TimeoutError`; 10000 by default, 1 to 600000.
   */
  requestTimeoutMs?: number;
  /** How requests that fail in passing are sent again; see {@link RetryOptions}. */
  retries?: RetryOptions;
  /** Managed login, for `signInWithRedirect` (Google, Facebook, Apple, Amazon, OIDC and SAML providers). */
  oauth?: OAuthOptions;
}

/** The user pool's managed login and the app's URLs registered with the app client. */
export interface OAuthOptions {
  /**
   * `https://<prefix>.auth.<region>.amazoncognito.com`, a custom domain, or the emulator's origin (http only for
   * localhost and 127.0.0.1).
   */
  domain: string;
  /** The callback URL managed login returns to: exactly one of the app client's callback URLs. */
  redirectSignIn: string;
  /** Where `/logout` returns after `signOut()`: one of the client's sign-out URLs. Without it, no `/logout`. */
  redirectSignOut?: string;
  /** The scopes to ask for; `openid` is required. Default `['openid', 'email', 'profile']`. */
  scopes?: string[];
}

/** A sign-in through managed login. */
export interface SignInWithRedirectInput {
  /**
   * An identity provider of the app client; none: the managed login page with all of them. Amplify's `'Apple'`
   * and `'Amazon'` stand for `'SignInWithApple'` and `'LoginWithAmazon'`.
   */
  provider?: 'Google' | 'Facebook' | 'SignInWithApple' | 'LoginWithAmazon' | 'Apple' | 'Amazon' | 'COGNITO' | { custom: string };
  /** The app's own data, handed back by the return (`customState`); kept in this tab, never navigated to. */
  customState?: string;
  /** `login_hint`: the email or username to prefill. */
  loginHint?: string;
  /** The managed login page's language. */
  lang?: string;
  /** `login` asks again even with a managed-login session; `none` fails with `login_required` without one. */
  prompt?: string;
  /** The ID token's nonce; a random one by default. */
  nonce?: string;
}

/**
 * A started redirect sign-in: what its return needs. It holds the PKCE verifier: a server keeps it (its own
 * session, an encrypted cookie), never in the browser in clear.
 */
export interface RedirectFlow {
  state: string;
  verifier: string;
  nonce: string;
  redirectUri: string;
  customState?: string;
  /** Milliseconds since the epoch; a flow lives 15 minutes. */
  expiresAt: number;
}

/**
 * Retries with exponential backoff and full jitter, as the AWS SDKs' standard mode: the n-th repeat waits a random
 * time up to min(20 s, 100 ms × 2^(n−1)), or at least what Cognito's `Retry-After` asked (a `Retry-After` over
 * 20 s ends the retries). Network errors, timeouts, HTTP 5xx and throttling are repeated for requests that are
 * safe to repeat (USER_SRP_AUTH, refreshes, reads, revocation, setting preferences); requests that consume a
 * one-time code or a challenge session, or send the user a code (sign-up, confirmations, challenge answers,
 * USER_PASSWORD_AUTH, USER_AUTH, CUSTOM_AUTH, password reset and change, attribute updates), are repeated only
 * when Cognito refused them with throttling, since only then is it sure they were not carried out.
 */
export interface RetryOptions {
  /** Attempts per request in all, the first included: 3 by default, 1 to 10; 1 disables retries. */
  maxAttempts?: number;
}

/** Passed through to the pool's Lambda triggers and advanced security. */
export interface RequestMetadata {
  /** Key-value pairs for the pool's Lambda triggers. */
  clientMetadata?: Record<string, string>;
  /** What Cognito's advanced-security script collected. */
  userContextData?: UserContextData;
}

/** Cognito's advanced-security data, as its script produces it. */
export interface UserContextData {
  encodedData: string;
}

// ---------------------------------------------------------------------------------------------------------------
// User attributes

/** The standard OpenID Connect attributes a user pool knows. */
export type StandardAttributeName =
  | 'address'
  | 'birthdate'
  | 'email'
  | 'email_verified'
  | 'family_name'
  | 'gender'
  | 'given_name'
  | 'locale'
  | 'middle_name'
  | 'name'
  | 'nickname'
  | 'phone_number'
  | 'phone_number_verified'
  | 'picture'
  | 'preferred_username'
  | 'profile'
  | 'sub'
  | 'updated_at'
  | 'website'
  | 'zoneinfo';

/** A custom attribute's name, as Cognito spells it: `custom:` and the name given in the pool. */
export type CustomAttributeName = `custom:${string}`;

/** Any attribute's name. */
export type UserAttributeKey = StandardAttributeName | CustomAttributeName;

/** Attribute values to set: standard and custom attributes, all strings (as Cognito stores them). */
export type UserAttributesInput = Partial<Record<Exclude<UserAttributeKey, 'sub'>, string>>;

/** The user's attributes as Cognito returns them: strings, including `sub`, `email_verified` (`'true'`), … */
export type UserAttributes = Partial<Record<UserAttributeKey, string>>;

// ---------------------------------------------------------------------------------------------------------------
// Sign-up

/** Where Cognito sent a code. */
export interface CodeDeliveryDetails {
  /** Masked, e.g. `a***@e***`. */
  destination: string | null;
  deliveryMedium: 'EMAIL' | 'SMS' | null;
  /** The attribute the code verifies, e.g. `email`. */
  attributeName: string | null;
}

/** The result of the calls that send a code. */
export interface CodeDeliveryResult {
  codeDeliveryDetails: CodeDeliveryDetails | null;
}

export interface SignUpInput extends RequestMetadata {
  username: string;
  password: string;
  /** User attributes by name, e.g. `{ email: 'a@example.com', 'custom:plan': 'pro' }`. */
  attributes?: UserAttributesInput;
  /** Sign the user in by itself when `confirmSignUp` succeeds, without asking for the password again. */
  autoSignIn?: boolean;
}

export interface SignUpResult {
  /** `false` until `confirmSignUp` (unless a pre-sign-up trigger confirmed the user). */
  userConfirmed: boolean;
  /** The new user's `sub`, a UUID. */
  userSub: string;
  codeDeliveryDetails: CodeDeliveryDetails | null;
}

export interface ConfirmSignUpInput extends RequestMetadata {
  username: string;
  /** The code Cognito sent. */
  code: string;
}

export interface ConfirmSignUpResult {
  isSignUpComplete: true;
  nextStep: { signUpStep: 'DONE' };
  /** The automatic sign-in's result when `signUp` asked for `autoSignIn`, else `null`. */
  autoSignIn: SignInResult | null;
}

export interface UsernameInput extends RequestMetadata {
  username: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Sign-in

/** Cognito's authentication flows; USER_SRP_AUTH (the default) never sends the password. */
export type AuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'CUSTOM_WITH_SRP' | 'CUSTOM_WITHOUT_SRP' | 'USER_AUTH';
/** First factors of the USER_AUTH flow (choice-based sign-in) this package can answer. */
export type FirstFactor = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP';
/** Multi-factor methods. */
export type MfaType = 'SMS' | 'TOTP' | 'EMAIL';

/** What every sign-in input has. */
export interface SignInBase extends RequestMetadata {
  username: string;
}

/** Password flows: SRP (the default), plain password, custom auth that starts with SRP. */
export interface PasswordSignInInput extends SignInBase {
  authFlow?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'CUSTOM_WITH_SRP';
  password: string;
  preferredChallenge?: never;
}

/** Custom auth without a password: the pool's Lambda triggers ask the questions. */
export interface CustomSignInInput extends SignInBase {
  authFlow: 'CUSTOM_WITHOUT_SRP';
  password?: never;
  preferredChallenge?: never;
}

/** Choice-based sign-in (USER_AUTH): a first factor named up front, or chosen from `availableChallenges`. */
export interface UserAuthSignInInput extends SignInBase {
  authFlow: 'USER_AUTH';
  /** Required with `preferredChallenge` `PASSWORD` or `PASSWORD_SRP`. */
  password?: string;
  preferredChallenge?: FirstFactor;
}

export type SignInInput = PasswordSignInInput | CustomSignInInput | UserAuthSignInInput;

/** The secret to add to an authenticator app. */
export interface TotpSetupDetails {
  sharedSecret: string;
  /** `otpauth://totp/…`, to show as a QR code. */
  setupUri: string;
}

/** Signed in: nothing left to do. */
export interface DoneStep {
  signInStep: 'DONE';
}
/** A new password (and the pool's required attributes the user lacks) is needed; answer with the password. */
export interface NewPasswordRequiredStep {
  signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED';
  /** Attribute names to pass in `confirmSignIn`'s `options.userAttributes`. */
  missingAttributes: string[];
}
/** Answer with the code sent by SMS. */
export interface SmsCodeStep {
  signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE';
  codeDeliveryDetails: CodeDeliveryDetails;
}
/** Answer with the code sent by email. */
export interface EmailCodeStep {
  signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE';
  codeDeliveryDetails: CodeDeliveryDetails;
}
/** Answer with the authenticator app's current code. */
export interface TotpCodeStep {
  signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE';
}
/** Answer with one of `allowedMFATypes`. */
export interface MfaSelectionStep {
  signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION';
  allowedMFATypes: MfaType[];
}
/** MFA is required but not set up: answer with the method to set up, one of `allowedMFATypes`. */
export interface MfaSetupSelectionStep {
  signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION';
  allowedMFATypes: MfaType[];
}
/** Add the secret to an authenticator app, then answer with its current code. */
export interface TotpSetupStep {
  signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP';
  totpSetupDetails: TotpSetupDetails;
}
/** Answer with the email address to send MFA codes to. */
export interface EmailSetupStep {
  signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP';
}
/** Answer the custom challenge the pool's Lambda trigger set. */
export interface CustomChallengeStep {
  signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE';
  /** The trigger's public challenge parameters. */
  additionalInfo: Record<string, string>;
}
/** USER_AUTH: answer with one of `availableChallenges`. */
export interface FirstFactorSelectionStep {
  signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION';
  /** What the pool offers this user; `WEB_AUTHN` (passkeys) is listed when offered but not supported here. */
  availableChallenges: Array<FirstFactor | 'WEB_AUTHN'>;
}
/** USER_AUTH: answer with the password. */
export interface PasswordStep {
  signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD';
}

/** What to do next to finish signing in, told apart by `signInStep`. */
export type SignInNextStep =
  | DoneStep
  | NewPasswordRequiredStep
  | SmsCodeStep
  | EmailCodeStep
  | TotpCodeStep
  | MfaSelectionStep
  | MfaSetupSelectionStep
  | TotpSetupStep
  | EmailSetupStep
  | CustomChallengeStep
  | FirstFactorSelectionStep
  | PasswordStep;

/** A step that `confirmSignIn` answers. */
export type PendingSignInStep = Exclude<SignInNextStep, DoneStep>;

/** A sign-in waiting for `confirmSignIn`. */
export interface PendingSignIn {
  isSignedIn: false;
  nextStep: PendingSignInStep;
}

/** Signed in, or a step to answer with `confirmSignIn`. */
export type SignInResult = { isSignedIn: true; nextStep: DoneStep } | PendingSignIn;

export interface ConfirmSignInInput {
  /** The code, new password, choice (`'TOTP'`, `'EMAIL_OTP'`…), email address or custom answer the step asks for. */
  challengeResponse: string;
  options?: ConfirmSignInOptions;
}

export interface ConfirmSignInOptions extends RequestMetadata {
  /** CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED: values for `missingAttributes`. */
  userAttributes?: UserAttributesInput;
  /** TOTP set-up: a name for the authenticator. */
  friendlyDeviceName?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Sessions and tokens

/** Claims in both of Cognito's tokens. */
export interface CommonTokenClaims {
  /** The user's UUID. */
  sub: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  iss: string;
  /** Expiry, in seconds since the epoch (Cognito's clock). */
  exp: number;
  /** Issued at, in seconds since the epoch. */
  iat: number;
  /** When the user authenticated, in seconds since the epoch. */
  auth_time: number;
  /** The token's unique id. */
  jti: string;
  /** The id of the original authentication, kept across refreshes (used to revoke). */
  origin_jti?: string;
  event_id?: string;
  /** The groups the user belongs to. */
  'cognito:groups'?: string[];
}

/** The ID token's claims: who the user is. */
export interface IdTokenPayload extends CommonTokenClaims {
  token_use: 'id';
  /** The app client id. */
  aud: string;
  'cognito:username': string;
  'cognito:roles'?: string[];
  'cognito:preferred_role'?: string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
  /** Present when the user signed in through a federated identity provider. */
  identities?: Array<{ userId: string; providerName: string; providerType: string; primary: string; dateCreated: string }>;
  /** Other attributes (e.g. `custom:…`) the app client may read, and claims a pre-token-generation trigger added. */
  [claim: string]: unknown;
}

/** The access token's claims: what the bearer may do. */
export interface AccessTokenPayload extends CommonTokenClaims {
  token_use: 'access';
  /** The app client id. */
  client_id: string;
  /** Space-separated OAuth scopes, e.g. `aws.cognito.signin.user.admin`. */
  scope: string;
  username: string;
  /** The remembered device's key, when the pool tracks devices. */
  device_key?: string;
  version?: number;
  /** Claims a pre-token-generation trigger added. */
  [claim: string]: unknown;
}

/** The signed-in user's tokens and their decoded payloads. */
export interface Session {
  idToken: string;
  accessToken: string;
  /** `null` when Cognito did not issue one to this session. */
  refreshToken: string | null;
  idTokenPayload: IdTokenPayload;
  accessTokenPayload: AccessTokenPayload;
  /** When the first token expires, in milliseconds since the epoch on this device's clock (compare with `Date.now()`). */
  expiresAt: number;
  /** The user's groups (`cognito:groups` of the access token). */
  groups: string[];
  /** The access token's OAuth scopes. */
  scopes: string[];
}

/** What an {@link CognitoAuth.onAuthStateChange} listener receives; events from other tabs of this origin arrive too. */
export type AuthEvent =
  | { event: 'signedIn' | 'signedOut' | 'tokenRefresh' | 'sessionExpired' }
  | { event: 'tokenRefreshFailure'; error: CognitoError }
  /** A redirect sign-in came back with the app's `customState` (this tab only). */
  | { event: 'customState'; customState: string }
  /** A redirect sign-in's return failed (this tab only); the session, if any, is unchanged. */
  | { event: 'signInWithRedirectFailure'; error: CognitoError };

export type AuthEventName = AuthEvent['event'];

export interface GetSessionOptions {
  /** Refresh the tokens even if they are fresh. */
  forceRefresh?: boolean;
}

export interface SignOutOptions {
  /** Sign out every session of the user (GlobalSignOut), not only this one. */
  global?: boolean;
  /** After a managed-login sign-in, go to managed login's `/logout` (true, the default, in a page). */
  redirect?: boolean;
}

export interface SignOutResult {
  /** Managed login's `/logout` URL (after a managed-login sign-in, with `redirectSignOut`), else `null`. */
  logoutUrl: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Account, MFA, devices

export interface ResetPasswordResult {
  isPasswordReset: false;
  nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE'; codeDeliveryDetails: CodeDeliveryDetails | null };
}

export interface ConfirmResetPasswordInput extends RequestMetadata {
  username: string;
  confirmationCode: string;
  newPassword: string;
}

export interface UpdatePasswordInput {
  oldPassword: string;
  newPassword: string;
}

export interface UpdateUserAttributesInput {
  userAttributes: UserAttributesInput;
  clientMetadata?: Record<string, string>;
}

/** Per attribute: updated, or waiting for the code sent to verify the new value. */
export type AttributeUpdateResult =
  | { isUpdated: true; nextStep: { updateAttributeStep: 'DONE' } }
  | { isUpdated: false; nextStep: { updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE'; codeDeliveryDetails: CodeDeliveryDetails } };

export interface SendUserAttributeVerificationCodeInput {
  userAttributeKey: UserAttributeKey;
  clientMetadata?: Record<string, string>;
}

export interface ConfirmUserAttributeInput {
  userAttributeKey: UserAttributeKey;
  confirmationCode: string;
}

export interface DeleteUserAttributesInput {
  userAttributeKeys: Array<Exclude<UserAttributeKey, 'sub'>>;
}

export interface VerifyTOTPSetupInput {
  /** The authenticator app's current code. */
  code: string;
  friendlyDeviceName?: string;
}

/** Enable or disable a method; `PREFERRED` also enables it and makes it the one asked for. */
export type MfaPreferenceValue = 'ENABLED' | 'DISABLED' | 'PREFERRED' | 'NOT_PREFERRED';

/** Methods left out keep their setting. */
export interface UpdateMFAPreferenceInput {
  sms?: MfaPreferenceValue;
  totp?: MfaPreferenceValue;
  email?: MfaPreferenceValue;
}

export interface MFAPreference {
  enabled: MfaType[];
  preferred: MfaType | null;
}

/** A device Cognito remembers for the user. */
export interface Device {
  /** The device key. */
  id: string;
  name: string | null;
  /** Milliseconds since the epoch. */
  createdAt: number | null;
  lastModifiedAt: number | null;
  lastAuthenticatedAt: number | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** Cognito's exception names for the operations this package calls. */
export type CognitoServiceErrorName =
  | 'AliasExistsException'
  | 'CodeDeliveryFailureException'
  | 'CodeMismatchException'
  | 'ConcurrentModificationException'
  | 'DeviceKeyExistsException'
  | 'EnableSoftwareTokenMFAException'
  | 'ExpiredCodeException'
  | 'ForbiddenException'
  | 'InternalErrorException'
  | 'InvalidEmailRoleAccessPolicyException'
  | 'InvalidLambdaResponseException'
  | 'InvalidParameterException'
  | 'InvalidPasswordException'
  | 'InvalidSmsRoleAccessPolicyException'
  | 'InvalidSmsRoleTrustRelationshipException'
  | 'InvalidUserPoolConfigurationException'
  | 'LimitExceededException'
  | 'MFAMethodNotFoundException'
  | 'NotAuthorizedException'
  | 'PasswordHistoryPolicyViolationException'
  | 'PasswordResetRequiredException'
  | 'RefreshTokenReuseException'
  | 'ResourceNotFoundException'
  | 'SoftwareTokenMFANotFoundException'
  | 'TooManyFailedAttemptsException'
  | 'TooManyRequestsException'
  | 'UnauthorizedException'
  | 'UnexpectedLambdaException'
  | 'UnsupportedOperationException'
  | 'UnsupportedTokenTypeException'
  | 'UserLambdaValidationException'
  | 'UserNotConfirmedException'
  | 'UserNotFoundException'
  | 'UsernameExistsException'
  /** AWS-wide: throttling and service failures. */
  | 'ThrottlingException'
  | 'ServiceUnavailableException'
  | 'RequestTimeoutException'
  /** An error answer without a name (any other HTTP status). */
  | 'UnknownError';

/** Names of the package's own errors: the call does not fit the current state, or the platform failed. */
export type CognitoClientErrorName =
  | 'UserAlreadyAuthenticatedException'
  | 'UserUnAuthenticatedException'
  | 'SignInPendingException'
  | 'NoPendingSignInException'
  | 'UnsupportedChallengeException'
  | 'DeviceNotTrackedException'
  /** No whole answer: offline, connection refused or reset, a body cut short, CORS. The message says why. */
  | 'NetworkError'
  /** No answer within `requestTimeoutMs` (or another tab held the refresh lock for too long). */
  | 'TimeoutError'
  | 'ProtocolError'
  | 'StorageError'
  | 'RandomSourceError'
  /** The JavaScript engine cannot run the package: it lacks WebAssembly SIMD (Safari before 16.4). */
  | 'UnsupportedEnvironmentError';

/** Every name a {@link CognitoError} can have. */
export type CognitoErrorName = CognitoServiceErrorName | CognitoClientErrorName;

/** Every rejection of this package is an `Error` of this shape; tell them apart with {@link isCognitoError}. */
export interface CognitoError<N extends CognitoErrorName = CognitoErrorName> extends Error {
  name: N;
  /** Whether the same call may succeed later (network failures, timeouts, throttling, Cognito's own failures). */
  retryable: boolean;
  /**
   * How long Cognito asked the caller to wait before trying again (its `Retry-After`), when it said; in browsers
   * only when the response's CORS headers expose `Retry-After`.
   */
  retryAfterMs?: number;
}

/**
 * Whether `error` was thrown by this package, and, with `name`, whether it has that name. Narrows the type:
 *
 * ```ts
 * try { await auth.signIn({ username, password }); }
 * catch (e) {
 *   if (isCognitoError(e, 'UserNotConfirmedException')) showConfirmForm();
 *   else if (isCognitoError(e) && e.retryable) showTryAgainLater();
 *   else throw e;
 * }
 * ```
 */
export declare function isCognitoError(error: unknown): error is CognitoError;
export declare function isCognitoError<N extends CognitoErrorName>(error: unknown, name: N): error is CognitoError<N>;

// ---------------------------------------------------------------------------------------------------------------
// The client

/** A Cognito user-pool client for one app client. Every method returns a Promise that rejects with a {@link CognitoError}. */
export declare class CognitoAuth {
  /** Options are checked on the first call, which rejects with `InvalidParameterException` if they are wrong. */
  constructor(options: CognitoAuthOptions);

  /** Registers a user (SignUp). */
  signUp(input: SignUpInput): Promise<SignUpResult>;
  /** Confirms the user with the code Cognito sent (ConfirmSignUp), then signs in if `signUp` asked for `autoSignIn`. */
  confirmSignUp(input: ConfirmSignUpInput): Promise<ConfirmSignUpResult>;
  /** Sends the confirmation code again (ResendConfirmationCode). */
  resendSignUpCode(input: UsernameInput): Promise<CodeDeliveryResult>;

  /** Starts signing in (USER_SRP_AUTH by default: the password never leaves the device). */
  signIn(input: SignInInput): Promise<SignInResult>;
  /** Answers the step `signIn` (or the previous `confirmSignIn`) returned. */
  confirmSignIn(input: ConfirmSignInInput): Promise<SignInResult>;
  /** Abandons a sign-in waiting for `confirmSignIn`. */
  cancelSignIn(): Promise<void>;
  /** The step a pending sign-in waits on (it survives reloads for 3 minutes), or `null`. */
  getPendingSignIn(): Promise<PendingSignIn | null>;

  /** The session, refreshed first if a token expires within a minute; `null` when signed out or ended. */
  getSession(options?: GetSessionOptions): Promise<Session | null>;
  /**
   * Revokes the refresh token (every session of the user with `global`) and forgets the session here; after a
   * managed-login sign-in, a page then goes to `/logout`, which ends managed login's own session too.
   */
  signOut(options?: SignOutOptions): Promise<SignOutResult>;

  /**
   * Sends the browser to managed login (authorization code with PKCE S256, state and nonce kept in this tab's
   * sessionStorage for 15 minutes). Back on `redirectSignIn`, the client completes the sign-in by itself.
   */
  signInWithRedirect(input?: SignInWithRedirectInput): Promise<void>;
  /**
   * Completes a redirect sign-in from `url` (the page's address by default): checks the state, redeems the code,
   * checks the ID token's nonce, issuer, audience and expiry, stores the session and removes `code` and `state`
   * from the address bar. Rejects with `OAuthStateMismatchException`, `OAuthFlowExpiredException`, the OAuth
   * error's name (`access_denied`, `invalid_grant`, …) or `OAuthNonceMismatchException`; the session, if any, is
   * kept.
   */
  completeSignInWithRedirect(url?: string): Promise<{ customState?: string }>;
  /** The first half of a redirect sign-in where there is no window (a server route): the URL and the flow. */
  buildAuthorizeUrl(input?: SignInWithRedirectInput): Promise<{ url: string; flow: RedirectFlow }>;
  /** The second half: the callback URL with the flow `buildAuthorizeUrl` gave. */
  exchangeAuthorizationCode(url: string, flow: RedirectFlow): Promise<{ customState?: string }>;
  /** The signed-in user's attributes from managed login's `/oauth2/userInfo`, as far as the scopes reach. */
  fetchUserInfo(): Promise<Record<string, string>>;

  /** Sends a code to reset a forgotten password (ForgotPassword). */
  resetPassword(input: UsernameInput): Promise<ResetPasswordResult>;
  /** Sets the new password with the code (ConfirmForgotPassword). */
  confirmResetPassword(input: ConfirmResetPasswordInput): Promise<void>;
  /** Changes the signed-in user's password (ChangePassword). */
  updatePassword(input: UpdatePasswordInput): Promise<void>;

  /** The signed-in user's attributes (GetUser). */
  fetchUserAttributes(): Promise<UserAttributes>;
  /** Sets attributes (UpdateUserAttributes); a changed email or phone number may wait for a code. */
  updateUserAttributes(input: UpdateUserAttributesInput): Promise<Partial<Record<UserAttributeKey, AttributeUpdateResult>>>;
  /** Sends a code to verify an attribute (GetUserAttributeVerificationCode). */
  sendUserAttributeVerificationCode(input: SendUserAttributeVerificationCodeInput): Promise<CodeDeliveryResult>;
  /** Verifies an attribute with the code (VerifyUserAttribute). */
  confirmUserAttribute(input: ConfirmUserAttributeInput): Promise<void>;
  /** Removes attributes (DeleteUserAttributes). */
  deleteUserAttributes(input: DeleteUserAttributesInput): Promise<void>;
  /** Deletes the signed-in user's account, then signs out. */
  deleteUser(): Promise<void>;

  /** Starts adding an authenticator app (AssociateSoftwareToken). */
  setUpTOTP(): Promise<TotpSetupDetails>;
  /** Finishes adding it with its current code (VerifySoftwareToken). */
  verifyTOTPSetup(input: VerifyTOTPSetupInput): Promise<void>;
  /** Enables, disables or prefers MFA methods (SetUserMFAPreference). */
  updateMFAPreference(input: UpdateMFAPreferenceInput): Promise<void>;
  /** The enabled and preferred MFA methods (GetUser). */
  fetchMFAPreference(): Promise<MFAPreference>;

  /** Remembers this device so that signing in on it skips MFA (pools that let users opt in). */
  rememberDevice(): Promise<void>;
  /** Forgets a device; this one when no key is given. */
  forgetDevice(deviceKey?: string): Promise<void>;
  /** The user's remembered devices (ListDevices). */
  fetchDevices(): Promise<Device[]>;

  /**
   * Calls `listener` on every change of the signed-in state, in this tab and the other tabs of this origin;
   * returns the function that unsubscribes it. Works before the module has loaded.
   */
  onAuthStateChange(listener: (event: AuthEvent) => void): () => void;
  /** `'Bearer <access token>'` from a fresh session, or `null` when signed out. */
  authorizationHeader(): Promise<string | null>;
}

/** What {@link init} accepts: the .wasm's URL, its bytes, a fetch `Response` for it, or a compiled module. */
export type WasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the WebAssembly module. Optional: the first call of any method loads it from the package. Call it first
 * only to load the `.wasm` from elsewhere, e.g. your CDN.
 */
export declare function init(options?: { module_or_path: WasmSource | Promise<WasmSource> }): Promise<void>;
