import type { InboundWebhook, VerificationResult, VerificationScheme } from '../contract/webhook.js';
import type { PluginWebhookDefaults } from '../plugins/plugin-manifest.js';
import { IpAllowlist } from './ip-allowlist.js';
import {
  DEFAULT_TOKEN_HEADER,
  DEFAULT_TOKEN_QUERY_PARAM,
  presentedWebhookToken,
  tokenDigest,
  verifySharedToken,
  type TokenLocation,
} from './shared-token.js';
import { standardWebhookKey, verifyStandardWebhook } from './standard-webhooks.js';

/**
 * How one connection's webhooks are verified: the plugin says which schemes its provider can do
 * (manifest.webhooks), the connection picks one in `settings.webhook.scheme`, and its IP allowlist
 * applies on top of any scheme.
 */
export interface WebhookVerificationPolicy {
  scheme: VerificationScheme;
  token: TokenLocation;
  toleranceSeconds: number;
  /** Empty = any address. */
  allowlist: IpAllowlist;
  /** Set when the connection's settings make no sense; every request is then refused (fail closed). */
  misconfigured?: string;
}

/** The `settings.webhook` object of a connection (all optional). */
export interface ConnectionWebhookSettings {
  scheme?: VerificationScheme;
  tokenHeader?: string;
  tokenQueryParam?: string;
  toleranceSeconds?: number;
  rateLimitPerSecond?: number;
}

export interface PolicyInput {
  plugin: PluginWebhookDefaults;
  /** The connection's settings (free-form JSON); only `webhook` is read. */
  settings: Readonly<Record<string, unknown>> | null | undefined;
  /** The connection's own allowlist; when empty the plugin's published addresses apply. */
  ipAllowlist: readonly string[];
  defaultToleranceSeconds: number;
}

const SCHEMES: readonly VerificationScheme[] = ['hmac', 'token', 'none'];
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
const PARAM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** The connection's `settings.webhook`, keeping only well-typed values. */
export function connectionWebhookSettings(settings: PolicyInput['settings']): ConnectionWebhookSettings {
  const raw = settings?.webhook;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const w = raw as Record<string, unknown>;
  const out: ConnectionWebhookSettings = {};
  if (typeof w.scheme === 'string') out.scheme = w.scheme as VerificationScheme;
  if (typeof w.tokenHeader === 'string') out.tokenHeader = w.tokenHeader.toLowerCase();
  if (typeof w.tokenQueryParam === 'string') out.tokenQueryParam = w.tokenQueryParam;
  if (typeof w.toleranceSeconds === 'number') out.toleranceSeconds = w.toleranceSeconds;
  if (typeof w.rateLimitPerSecond === 'number') out.rateLimitPerSecond = w.rateLimitPerSecond;
  return out;
}

/**
 * Works out a connection's policy. The scheme is the connection's choice when the plugin offers it,
 * else the plugin's first. `hmac` is always allowed: a signing relay (Svix, Hookdeck, an own
 * gateway) can sit in front of any provider. `none` needs an IP allowlist, otherwise anyone could
 * post. A bad value never loosens anything: the policy is marked misconfigured and refuses all.
 */
export function resolveVerificationPolicy(input: PolicyInput): WebhookVerificationPolicy {
  const chosen = connectionWebhookSettings(input.settings);
  const problems: string[] = [];
  const offered = input.plugin.schemes;
  let scheme: VerificationScheme = offered[0] ?? 'token';
  if (chosen.scheme !== undefined) {
    if (!SCHEMES.includes(chosen.scheme))
      problems.push(`settings.webhook.scheme "${String(chosen.scheme)}" is not one of ${SCHEMES.join(', ')}`);
    else if (chosen.scheme !== 'hmac' && !offered.includes(chosen.scheme)) {
      problems.push(
        `settings.webhook.scheme "${chosen.scheme}" is not offered by this plugin (${offered.join(', ')}, or hmac)`,
      );
    } else scheme = chosen.scheme;
  }
  const header = chosen.tokenHeader ?? input.plugin.tokenHeader?.toLowerCase() ?? DEFAULT_TOKEN_HEADER;
  const queryParam = chosen.tokenQueryParam ?? input.plugin.tokenQueryParam ?? DEFAULT_TOKEN_QUERY_PARAM;
  if (!HEADER_NAME.test(header)) problems.push('settings.webhook.tokenHeader is not a header name');
  if (!PARAM_NAME.test(queryParam)) problems.push('settings.webhook.tokenQueryParam is not a parameter name');
  let toleranceSeconds = input.defaultToleranceSeconds;
  if (chosen.toleranceSeconds !== undefined) {
    if (
      Number.isInteger(chosen.toleranceSeconds) &&
      chosen.toleranceSeconds > 0 &&
      chosen.toleranceSeconds <= 86_400
    ) {
      toleranceSeconds = chosen.toleranceSeconds;
    } else problems.push('settings.webhook.toleranceSeconds must be whole seconds between 1 and 86400');
  }
  let allowlist = IpAllowlist.parse([]);
  try {
    allowlist = IpAllowlist.parse(
      input.ipAllowlist.length > 0 ? input.ipAllowlist : (input.plugin.ipAllowlist ?? []),
    );
  } catch (error) {
    problems.push(`ipAllowlist: ${(error as Error).message}`);
  }
  if (scheme === 'none' && allowlist.isEmpty) problems.push('scheme "none" needs a non-empty ipAllowlist');
  return {
    scheme,
    token: { header, queryParam },
    toleranceSeconds,
    allowlist,
    misconfigured: problems.length > 0 ? problems.join('; ') : undefined,
  };
}

/** A connection's secrets in the forms the checks use, derived once (not per request). */
export interface VerificationKeys {
  /** The secrets themselves, newest first (for an adapter's own verifyWebhook). */
  secrets: readonly string[];
  tokenDigests: readonly Buffer[];
  hmacKeys: readonly Buffer[];
}

export function verificationKeys(secrets: readonly string[]): VerificationKeys {
  const hmacKeys: Buffer[] = [];
  for (const secret of secrets) {
    try {
      hmacKeys.push(standardWebhookKey(secret));
    } catch {
      // A secret that is not base64 cannot sign; the token check can still use it.
    }
  }
  return { secrets: [...secrets], tokenDigests: secrets.map(tokenDigest), hmacKeys };
}

/** Which check decided: the allowlist, the scheme, the plugin's own verifyWebhook, or the connection's settings. */
export type VerificationCheck = 'ip' | VerificationScheme | 'adapter' | 'config';

export interface VerificationOutcome extends VerificationResult {
  check: VerificationCheck;
  /** HTTP status for a refusal: 403 for an address not allowed, 401 for anything else. */
  httpStatus: 401 | 403;
}

export interface VerifyOptions {
  /** The plugin adapter's verifyWebhook, when it has one: it replaces the scheme. */
  adapterVerify?: (request: InboundWebhook, secrets: readonly string[]) => VerificationResult;
  now?: Date;
}

/** Runs a connection's checks on one request: allowlist first, then the scheme (or the adapter's own). */
export function verifyWebhookRequest(
  request: InboundWebhook,
  policy: WebhookVerificationPolicy,
  keys: VerificationKeys,
  options: VerifyOptions = {},
): VerificationOutcome {
  if (policy.misconfigured) return { ok: false, check: 'config', reason: 'misconfigured', httpStatus: 401 };
  if (!policy.allowlist.isEmpty && !policy.allowlist.contains(request.sourceIp)) {
    return { ok: false, check: 'ip', reason: 'address_not_allowed', httpStatus: 403 };
  }
  if (options.adapterVerify) {
    let result: VerificationResult;
    try {
      result = options.adapterVerify(request, keys.secrets);
    } catch {
      result = { ok: false, reason: 'invalid_signature' };
    }
    return {
      ...result,
      reason: result.ok ? undefined : (result.reason ?? 'invalid_signature'),
      check: 'adapter',
      httpStatus: 401,
    };
  }
  switch (policy.scheme) {
    case 'hmac': {
      const result = verifyStandardWebhook(request.headers, request.rawBody, {
        keys: keys.hmacKeys,
        toleranceSeconds: policy.toleranceSeconds,
        now: options.now,
      });
      return { ...result, check: 'hmac', httpStatus: 401 };
    }
    case 'token': {
      const presented = presentedWebhookToken(request.headers, request.query, policy.token);
      return { ...verifySharedToken(presented, keys.tokenDigests), check: 'token', httpStatus: 401 };
    }
    case 'none':
      return { ok: true, check: 'none', httpStatus: 401 };
  }
}

/**
 * Short text for the inbox row's `verification` column: "token:ok", "token:ok:previous_secret"
 * (an older secret matched, so rotation is still under way), "hmac:timestamp_out_of_tolerance".
 */
export function describeVerification(outcome: VerificationOutcome): string {
  if (!outcome.ok) return `${outcome.check}:${outcome.reason ?? 'refused'}`;
  return outcome.secretIndex !== undefined && outcome.secretIndex > 0
    ? `${outcome.check}:ok:previous_secret`
    : `${outcome.check}:ok`;
}
