import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { IAMClient } from "@aws-sdk/client-iam";
import { DoctorError } from "./errors";
import { CheckId, CheckResult, couldNotCheck } from "./report";

/** The three SDK clients a doctor run uses. */
export interface AwsClients {
    elbv2: ElasticLoadBalancingV2Client;
    ec2: EC2Client;
    iam: IAMClient;
    region: string;
}

/**
 * Builds the clients. Credentials come from the standard chain; static keys
 * and `AWS_PROFILE` in `env` are passed on explicitly so an in-process caller
 * with its own environment is honoured. The region is the network stack's
 * (that is where the ALB lives); `AWS_ENDPOINT_URL` (or the per-service
 * variables) points the clients at an emulator. Retries are adaptive, so
 * throttling slows the run down instead of failing it.
 */
export function createAwsClients(env: NodeJS.ProcessEnv, region: string): AwsClients {
    // The SDK prints a multi-line Node version notice on stderr on first use;
    // in a diagnostic CLI it buries the one line that matters. Set the
    // variable to "false" to see it.
    if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
        process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    }
    const base = {
        region,
        retryMode: "adaptive",
        maxAttempts: 5,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
        ...(env.AWS_PROFILE && !hasStaticKeys(env) ? { profile: env.AWS_PROFILE } : {}),
        ...(hasStaticKeys(env)
            ? {
                  credentials: {
                      accessKeyId: env.AWS_ACCESS_KEY_ID as string,
                      secretAccessKey: env.AWS_SECRET_ACCESS_KEY as string,
                      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
                  },
              }
            : {}),
    };
    const endpoint = (specific: string): { endpoint?: string } => {
        const url = env[specific] || env.AWS_ENDPOINT_URL;
        return url && env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== "true" ? { endpoint: url } : {};
    };
    return {
        region,
        elbv2: new ElasticLoadBalancingV2Client({ ...base, ...endpoint("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2") }),
        ec2: new EC2Client({ ...base, ...endpoint("AWS_ENDPOINT_URL_EC2") }),
        iam: new IAMClient({ ...base, ...endpoint("AWS_ENDPOINT_URL_IAM") }),
    };
}

function hasStaticKeys(env: NodeJS.ProcessEnv): boolean {
    return Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
}

/**
 * Resolves credentials once before any call, so "no credentials" is one
 * clear line (exit 2) rather than a failure on every check.
 */
export async function requireCredentials(clients: AwsClients): Promise<void> {
    try {
        const creds = await clients.elbv2.config.credentials();
        if (!creds || !creds.accessKeyId) {
            throw new Error("the chain returned empty credentials");
        }
    } catch (err) {
        if (err instanceof DoctorError) {
            throw err;
        }
        throw new DoctorError(
            `no AWS credentials: ${oneLine(err)}; set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, for the network account`,
        );
    }
}

/** Errors that mean the whole run cannot talk to AWS, not one missing thing. */
export function isFatalAwsError(err: unknown): boolean {
    const e = err as { name?: string; code?: string; message?: string };
    const fatalNames = [
        "CredentialsProviderError",
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "AuthFailure",
        "InvalidSignatureException",
        "TimeoutError",
    ];
    const fatalCodes = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH"];
    return fatalNames.includes(e?.name ?? "") || fatalCodes.includes(e?.code ?? "") || /Region is missing/i.test(e?.message ?? "");
}

/** True for the "does not exist" family of AWS errors. */
export function isNotFound(err: unknown): boolean {
    const name = (err as { name?: string })?.name ?? "";
    return /NotFound|NoSuchEntity/.test(name);
}

/** An error as one short line: `Name: message`. */
export function oneLine(err: unknown): string {
    if (err instanceof Error) {
        const code = (err as { code?: string }).code;
        const head = err.name && err.name !== "Error" ? `${err.name}: ` : code ? `${code}: ` : "";
        return `${head}${err.message}`.replace(/\s+/g, " ").trim();
    }
    return String(err).replace(/\s+/g, " ").trim();
}

/**
 * The fix for an AWS read that failed, by what the error says: throttled
 * past the retries, denied, unreachable, or anything else.
 */
export function readHint(read: { error: string }): string {
    if (/Throttl|RequestLimitExceeded|TooManyRequests|SlowDown/i.test(read.error)) {
        return "AWS throttled the doctor past its 5 attempts: run it again later, or with a lower --concurrency";
    }
    if (/AccessDenied|UnauthorizedOperation|AuthorizationError|not authorized/i.test(read.error)) {
        return (
            "grant the doctor's credentials the read permissions listed in docs/doctor.md (elasticloadbalancing:Describe*, ec2:DescribeSecurityGroups, ec2:DescribeVpcs, " +
            "iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion) and run again"
        );
    }
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|TimeoutError|socket hang up/i.test(read.error)) {
        return "the endpoint did not answer: check AWS_ENDPOINT_URL (and the per-service variables), the network path and the region, and run again";
    }
    return "look at the error above (region, endpoint, credentials) and run again";
}

/** A check that could not tell because an AWS read failed, with the fix for that error. */
export function unreadable(id: CheckId, subject: string, read: { call: string; error: string }): CheckResult {
    return couldNotCheck(id, subject, read, readHint(read));
}
