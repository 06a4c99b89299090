/**
 * The live state of a fleet as the doctor read it: plain data, no SDK types,
 * so the checks are pure functions of (outputs, snapshot) and can be tested
 * without any cloud.
 */

/**
 * A read that found the thing, found it missing, or could not tell: then
 * `call` names the read that failed (`elasticloadbalancing:DescribeRules`)
 * and `error` says why, in one line.
 */
export type Fetched<T> = { state: "ok"; value: T } | { state: "missing" } | { state: "error"; call: string; error: string };

export interface LiveLoadBalancer {
    arn: string;
    name: string;
    /** `active`, `provisioning`, `active_impaired`, `failed`. */
    state: string;
    vpcId: string;
    securityGroups: string[];
}

export interface LiveListener {
    arn: string;
    port: number;
    protocol: string;
}

export interface LiveForward {
    targetGroupArn: string;
    weight: number;
}

export interface LiveRule {
    arn: string;
    priority: string;
    isDefault: boolean;
    tags: Record<string, string>;
    /** The forward targets (weights), or undefined when the rule does not forward. */
    forward?: LiveForward[];
    /** The fixed-response status code, when the rule answers itself. */
    fixedResponseStatus?: string;
    /** Action types in order, e.g. `["forward"]`. */
    actionTypes: string[];
    /** The rule's conditions: host and path values, and header values by lower-cased header name. */
    hosts: string[];
    paths: string[];
    headers: Record<string, string[]>;
    /** The CIDRs of its `source-ip` condition, when it has one. */
    sourceIps?: string[];
}

export interface LiveTargetGroup {
    arn: string;
    name: string;
    vpcId: string;
    port: number;
    protocol: string;
    targetType: string;
    /** `traffic-port` or a number as a string. */
    healthCheckPort: string;
    healthCheckPath?: string;
    matcher?: string;
    loadBalancerArns: string[];
}

export interface LiveTarget {
    id: string;
    port?: number;
    /** `initial`, `healthy`, `unhealthy`, `unused`, `draining`, `unavailable`, ... */
    state: string;
    reason?: string;
    description?: string;
}

export interface EgressRule {
    /** `-1` for all protocols, else `tcp`, `udp`, ... */
    protocol: string;
    fromPort?: number;
    toPort?: number;
    cidrs: string[];
    ipv6Cidrs: string[];
    groupIds: string[];
    prefixListIds: string[];
}

export interface LiveSecurityGroup {
    id: string;
    vpcId: string;
    egress: EgressRule[];
}

/** An IAM policy document as parsed JSON (shape checked by the evaluator). */
export type PolicyDocument = Record<string, unknown>;

/** One policy of a role: inline (by name) or attached managed (by name and ARN). */
export interface LivePolicy {
    name: string;
    kind: "inline" | "managed";
    /** Attached managed policies: the policy's ARN. */
    arn?: string;
    document: PolicyDocument;
}

export interface LiveRole {
    arn: string;
    name: string;
    trustPolicy: PolicyDocument;
    /** Inline and attached managed policies, by name. */
    policies: LivePolicy[];
    /** Policies that could not be read: the policy, the read that failed and why. */
    unreadable: Array<{ name: string; call: string; error: string }>;
}

/** Everything the AWS checks look at. Keys are ARNs. */
export interface AwsSnapshot {
    loadBalancer: Fetched<LiveLoadBalancer>;
    loadBalancerAttributes: Fetched<Record<string, string>>;
    listeners: Record<string, Fetched<LiveListener>>;
    /** Rules of the service listener, keyed by that listener's ARN. */
    rules: Record<string, Fetched<LiveRule[]>>;
    targetGroups: Record<string, Fetched<LiveTargetGroup>>;
    targetHealth: Record<string, Fetched<LiveTarget[]>>;
    securityGroup: Fetched<LiveSecurityGroup>;
    vpcCidrs: Fetched<string[]>;
    /** Registrar roles by role ARN. */
    roles: Record<string, Fetched<LiveRole>>;
    /** Controller roles of the clusters in the network's own account, by role ARN. */
    controllerRoles: Record<string, Fetched<LiveRole>>;
    /**
     * The account's Elastic Load Balancing limits in the ALB's region, by name
     * (`targets-per-application-load-balancer`), each maximum as AWS gives
     * it: a string of digits.
     */
    accountLimits: Fetched<Record<string, string>>;
}
