/** Options for {@link CognitoAuth}. */
export interface CognitoAuthOptions {
  /** The user pool id, e.g. `us-east-1_Ab12Cd34`; its prefix is the region. */
  userPoolId: string;
  /** The app client id. */
  clientId: string;
  /** For app clients with a secret (server-side or trusted apps only): every call then carries SECRET_HASH. */
  clientSecret?: string;
  /** Cognito's endpoint; defaults to `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint?: string;
  /**
   * Where sessions are kept: `localStorage` by default where it exists, else `memory` (e.g. in Node); cookies
   * (values too large for one cookie are split over several); or any object with getItem/setItem/removeItem,
   * synchronous or returning Promises. The keys are amazon-cognito-identity-js's and Amplify's.
   */
  storage?: 'localStorage' | 'sessionStorage' | 'memory' | { cookie: CookieOptions } | KeyValueStorage;
  /** Refresh tokens when they expire within this many seconds; 60 by default. */
  refreshMarginSeconds?: number;
  /** Keep tokens fresh in the background while the page is open. */
  autoRefresh?: boolean;
  /** Names this device when the pool tracks devices; defaults to `navigator.userAgent`. */
  deviceName?: string;
  /** The issuer authenticator apps show for TOTP set-up URIs; defaults to `Cognito`. */
  appName?: string;
}

export interface CookieOptions {
  domain?: string;
  /** `/` by default. */
  path?: string;
  secure?: boolean;
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

export type AuthEventName = 'signedIn' | 'signedOut' | 'tokenRefresh' | 'tokenRefreshFailure' | 'sessionExpired';

/** What `onAuthStateChange` listeners receive; events from other tabs of this origin arrive too. */
export type AuthEvent =
  | { event: 'signedIn' | 'signedOut' | 'tokenRefresh' | 'sessionExpired' }
  | { event: 'tokenRefreshFailure'; error: CognitoError };

export interface CodeDeliveryDetails {
  destination: string | null;
  deliveryMedium: 'EMAIL' | 'SMS' | (string & {}) | null;
  attributeName: string | null;
}

/** Passed through to the pool's Lambda triggers and advanced security. */
export interface RequestMetadata {
  clientMetadata?: Record<string, string>;
  /** What Cognito's advanced-security script collected. */
  userContextData?: { encodedData: string };
}

export interface SignUpInput extends RequestMetadata {
  username: string;
  password: string;
  /** User attributes by name, e.g. `{ email: 'a@example.com' }`. */
  attributes?: Record<string, string>;
  /** Sign the user in by itself when `confirmSignUp` succeeds, without asking for the password again. */
  autoSignIn?: boolean;
}

export interface SignUpResult {
  userConfirmed: boolean;
  userSub: string;
  codeDeliveryDetails: CodeDeliveryDetails | null;
}

export interface ConfirmSignUpResult {
  isSignUpComplete: true;
  nextStep: { signUpStep: 'DONE' };
  /** The automatic sign-in's result when `signUp` asked for `autoSignIn`, else `null`. */
  autoSignIn: SignInResult | null;
}

export type AuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'CUSTOM_WITH_SRP' | 'CUSTOM_WITHOUT_SRP' | 'USER_AUTH';
export type FirstFactor = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP';
export type MfaType = 'SMS' | 'TOTP' | 'EMAIL';

export interface SignInInput extends RequestMetadata {
  username: string;
  /** Required for the SRP and password flows, and for USER_AUTH with PASSWORD or PASSWORD_SRP. */
  password?: string;
  /** Defaults to `USER_SRP_AUTH`. */
  authFlow?: AuthFlow;
  /** `USER_AUTH` only: the first factor to use without asking. */
  preferredChallenge?: FirstFactor;
}

export interface TotpSetupDetails {
  sharedSecret: string;
  /** `otpauth://totp/…`, to show as a QR code. */
  setupUri: string;
}

/** What to do next to finish signing in, told apart by `signInStep`. */
export type SignInNextStep =
  | { signInStep: 'DONE' }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'; missingAttributes: string[] }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE'; codeDeliveryDetails: CodeDeliveryDetails }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE'; codeDeliveryDetails: CodeDeliveryDetails }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' }
  | { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION'; allowedMFATypes: MfaType[] }
  | { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION'; allowedMFATypes: MfaType[] }
  | { signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP'; totpSetupDetails: TotpSetupDetails }
  | { signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE'; additionalInfo: Record<string, string> }
  | { signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION'; availableChallenges: FirstFactor[] }
  | { signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' };

export type SignInResult =
  | { isSignedIn: true; nextStep: { signInStep: 'DONE' } }
  | { isSignedIn: false; nextStep: Exclude<SignInNextStep, { signInStep: 'DONE' }> };

export interface ConfirmSignInInput {
  /** The code, new password, choice (`'TOTP'`, `'EMAIL_OTP'`…), email address or custom answer the step asks for. */
  challengeResponse: string;
  options?: RequestMetadata & {
    /** NEW_PASSWORD_REQUIRED: values for `missingAttributes`. */
    userAttributes?: Record<string, string>;
    /** TOTP set-up: a name for the authenticator. */
    friendlyDeviceName?: string;
  };
}

/** Claims of a Cognito token; the common ones typed, any other readable by name. */
export interface TokenPayload {
  sub: string;
  iss: string;
  exp: number;
  iat: number;
  auth_time?: number;
  token_use: 'id' | 'access';
  jti?: string;
  origin_jti?: string;
  event_id?: string;
  'cognito:username'?: string;
  'cognito:groups'?: string[];
  email?: string;
  email_verified?: boolean;
  aud?: string;
  client_id?: string;
  scope?: string;
  username?: string;
  [claim: string]: unknown;
}

export interface Session {
  idToken: string;
  accessToken: string;
  refreshToken: string | null;
  idTokenPayload: TokenPayload;
  accessTokenPayload: TokenPayload;
  /** When the first token expires, in milliseconds since the epoch on this device's clock. */
  expiresAt: number;
  /** The user's groups (`cognito:groups`). */
  groups: string[];
  /** The access token's OAuth scopes. */
  scopes: string[];
}

/** Names an error thrown by this package can have: Cognito's exception names, and the package's own. */
export type CognitoErrorName =
  | 'NotAuthorizedException'
  | 'UsernameExistsException'
  | 'CodeMismatchException'
  | 'ExpiredCodeException'
  | 'UserNotConfirmedException'
  | 'UserNotFoundException'
  | 'InvalidPasswordException'
  | 'InvalidParameterException'
  | 'LimitExceededException'
  | 'TooManyRequestsException'
  | 'TooManyFailedAttemptsException'
  | 'PasswordResetRequiredException'
  | 'ResourceNotFoundException'
  | 'InternalErrorException'
  | 'UserAlreadyAuthenticatedException'
  | 'UserUnAuthenticatedException'
  | 'SignInPendingException'
  | 'NoPendingSignInException'
  | 'UnsupportedChallengeException'
  | 'DeviceNotTrackedException'
  | 'NetworkError'
  | 'ProtocolError'
  | 'StorageError'
  | 'RandomSourceError';

/** Every rejection of this package is an `Error` of this shape. */
export interface CognitoError extends Error {
  name: CognitoErrorName | (string & {});
  /** Whether the same call may succeed later (network failures, throttling, Cognito's own failures). */
  retryable: boolean;
}

/** Every rejection of this package is an `Error` of this shape. */
export interface CognitoError extends Error {
  name: CognitoErrorName | (string & {});
  /** Whether the same call may succeed later (network failures, throttling, Cognito's own failures). */
  retryable: boolean;
}

export type AttributeUpdateResult =
  | { isUpdated: true; nextStep: { updateAttributeStep: 'DONE' } }
  | { isUpdated: false; nextStep: { updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE'; codeDeliveryDetails: CodeDeliveryDetails } };

export type MfaPreferenceValue = 'ENABLED' | 'DISABLED' | 'PREFERRED' | 'NOT_PREFERRED';

export interface Device {
  id: string;
  name: string | null;
  /** Milliseconds since the epoch. */
  createdAt: number | null;
  lastModifiedAt: number | null;
  lastAuthenticatedAt: number | null;
}

export declare class CognitoAuth {
  /** Options are checked on the first call, which rejects with `InvalidParameterException` if they are wrong. */
  constructor(options: CognitoAuthOptions);

  signUp(input: SignUpInput): Promise<SignUpResult>;
  confirmSignUp(input: { username: string; code: string } & RequestMetadata): Promise<ConfirmSignUpResult>;
  resendSignUpCode(input: { username: string } & RequestMetadata): Promise<{ codeDeliveryDetails: CodeDeliveryDetails | null }>;

  /** Starts signing in (USER_SRP_AUTH by default: the password never leaves the device). */
  signIn(input: SignInInput): Promise<SignInResult>;
  /** Answers the step `signIn` (or the previous `confirmSignIn`) returned. */
  confirmSignIn(input: ConfirmSignInInput): Promise<SignInResult>;
  /** Abandons a sign-in waiting for `confirmSignIn`. */
  cancelSignIn(): Promise<void>;
  /** The step a pending sign-in waits on (it survives reloads for 3 minutes), or `null`. */
  getPendingSignIn(): Promise<SignInResult | null>;

  /** The session, refreshed first if a token expires within a minute; `null` when signed out or ended. */
  getSession(options?: { forceRefresh?: boolean }): Promise<Session | null>;
  /** Revokes the refresh token (every session of the user with `global`) and forgets the session here. */
  signOut(options?: { global?: boolean }): Promise<void>;

  resetPassword(input: { username: string } & RequestMetadata): Promise<{
    isPasswordReset: false;
    nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE'; codeDeliveryDetails: CodeDeliveryDetails | null };
  }>;
  confirmResetPassword(input: { username: string; confirmationCode: string; newPassword: string } & RequestMetadata): Promise<void>;
  updatePassword(input: { oldPassword: string; newPassword: string }): Promise<void>;

  fetchUserAttributes(): Promise<Record<string, string>>;
  updateUserAttributes(input: { userAttributes: Record<string, string>; clientMetadata?: Record<string, string> }): Promise<Record<string, AttributeUpdateResult>>;
  sendUserAttributeVerificationCode(input: { userAttributeKey: string; clientMetadata?: Record<string, string> }): Promise<{ codeDeliveryDetails: CodeDeliveryDetails | null }>;
  confirmUserAttribute(input: { userAttributeKey: string; confirmationCode: string }): Promise<void>;
  deleteUserAttributes(input: { userAttributeKeys: string[] }): Promise<void>;
  /** Deletes the signed-in user's account, then signs out. */
  deleteUser(): Promise<void>;

  setUpTOTP(): Promise<TotpSetupDetails>;
  verifyTOTPSetup(input: { code: string; friendlyDeviceName?: string }): Promise<void>;
  updateMFAPreference(input: { sms?: MfaPreferenceValue; totp?: MfaPreferenceValue; email?: MfaPreferenceValue }): Promise<void>;
  fetchMFAPreference(): Promise<{ enabled: MfaType[]; preferred: MfaType | null }>;

  /** Remembers this device so that signing in on it skips MFA (pools that let users opt in). */
  rememberDevice(): Promise<void>;
  /** Forgets a device; this one when no key is given. */
  forgetDevice(deviceKey?: string): Promise<void>;
  fetchDevices(): Promise<Device[]>;

  /** Calls `listener` on every change of the signed-in state, here and in other tabs; returns the unsubscribe. */
  onAuthStateChange(listener: (event: AuthEvent) => void): () => void;
  /** `'Bearer <access token>'` from a fresh session, or `null` when signed out. */
  authorizationHeader(): Promise<string | null>;
}

/** Loads the WebAssembly module; optional, for apps that host the `.wasm` file themselves. */
export declare function init(options?: {
  module_or_path: string | URL | Request | Response | BufferSource | WebAssembly.Module;
}): Promise<unknown>;
