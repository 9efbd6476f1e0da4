/** Options for {@link CognitoAuth}. */
export interface CognitoAuthOptions {
  /** The user pool id, e.g. `us-east-1_Ab12Cd34`; its prefix is the region. */
  userPoolId: string;
  /** The app client id (a client without a secret). */
  clientId: string;
  /** Cognito's endpoint; defaults to `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint?: string;
  /** Where sessions are kept: `localStorage` by default where it exists, else `memory` (e.g. in Node). */
  storage?: 'localStorage' | 'sessionStorage' | 'memory';
}

export interface CodeDeliveryDetails {
  destination: string | null;
  deliveryMedium: 'EMAIL' | 'SMS' | string | null;
  attributeName: string | null;
}

export interface SignUpInput {
  username: string;
  password: string;
  /** User attributes by name, e.g. `{ email: 'a@example.com' }`. */
  attributes?: Record<string, string>;
}

export interface SignUpResult {
  userConfirmed: boolean;
  userSub: string;
  codeDeliveryDetails: CodeDeliveryDetails | null;
}

export interface SignInResult {
  isSignedIn: true;
  nextStep: { signInStep: 'DONE' };
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
  | 'UnsupportedChallengeException'
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

export declare class CognitoAuth {
  /** Options are checked on the first call, which rejects with `InvalidParameterException` if they are wrong. */
  constructor(options: CognitoAuthOptions);
  signUp(input: SignUpInput): Promise<SignUpResult>;
  confirmSignUp(input: { username: string; code: string }): Promise<void>;
  resendSignUpCode(input: { username: string }): Promise<{ codeDeliveryDetails: CodeDeliveryDetails | null }>;
  /** Signs in with USER_SRP_AUTH; the password never leaves the device. */
  signIn(input: { username: string; password: string }): Promise<SignInResult>;
  /** The session, refreshed first if a token expires within a minute; `null` when signed out or ended. */
  getSession(options?: { forceRefresh?: boolean }): Promise<Session | null>;
  /** Revokes the refresh token and forgets the session; the local sign-out happens even if revocation fails. */
  signOut(): Promise<void>;
}

/** Loads the WebAssembly module; optional, for apps that host the `.wasm` file themselves. */
export declare function init(options?: {
  module_or_path: string | URL | Request | Response | BufferSource | WebAssembly.Module;
}): Promise<unknown>;
