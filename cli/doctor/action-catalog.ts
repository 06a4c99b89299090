import * as ec2 from "@aws-sdk/client-ec2";
import * as elbv2 from "@aws-sdk/client-elastic-load-balancing-v2";
import * as iam from "@aws-sdk/client-iam";

/**
 * The operations of the Classic Load Balancer API (2012-06-01), which shares
 * the `elasticloadbalancing` IAM prefix with ELBv2: a wildcard such as
 * `elasticloadbalancing:Register*` also grants
 * `RegisterInstancesWithLoadBalancer`. The doctor does not ship the classic
 * client, so the list is kept here (source: the 29 operations of the
 * 2012-06-01 API as moto lists them in `docs/docs/services/elb.rst`).
 */
export const ClassicLoadBalancerActions = [
    "AddTags",
    "ApplySecurityGroupsToLoadBalancer",
    "AttachLoadBalancerToSubnets",
    "ConfigureHealthCheck",
    "CreateAppCookieStickinessPolicy",
    "CreateLBCookieStickinessPolicy",
    "CreateLoadBalancer",
    "CreateLoadBalancerListeners",
    "CreateLoadBalancerPolicy",
    "DeleteLoadBalancer",
    "DeleteLoadBalancerListeners",
    "DeleteLoadBalancerPolicy",
    "DeregisterInstancesFromLoadBalancer",
    "DescribeAccountLimits",
    "DescribeInstanceHealth",
    "DescribeLoadBalancerAttributes",
    "DescribeLoadBalancerPolicies",
    "DescribeLoadBalancerPolicyTypes",
    "DescribeLoadBalancers",
    "DescribeTags",
    "DetachLoadBalancerFromSubnets",
    "DisableAvailabilityZonesForLoadBalancer",
    "EnableAvailabilityZonesForLoadBalancer",
    "ModifyLoadBalancerAttributes",
    "RegisterInstancesWithLoadBalancer",
    "RemoveTags",
    "SetLoadBalancerListenerSSLCertificate",
    "SetLoadBalancerPoliciesForBackendServer",
    "SetLoadBalancerPoliciesOfListener",
] as const;

/** The operations a client module exports, one `<Operation>Command` class each. */
function operationsOf(module: Record<string, unknown>): string[] {
    return Object.keys(module)
        .filter(k => /^[A-Z][A-Za-z0-9]*Command$/.test(k) && typeof module[k] === "function")
        .map(k => k.slice(0, -"Command".length));
}

let catalog: Map<string, readonly string[]> | undefined;

/**
 * The known actions of an IAM service prefix (`elasticloadbalancing`, `ec2`,
 * `iam`), read from the pinned SDK clients' operations (plus the classic
 * load balancer's for `elasticloadbalancing`); undefined for any other
 * service. Used to tell whether an action wildcard reaches beyond the actions
 * shared-alb grants. IAM-only permissions without an API operation are not in
 * the list.
 */
export function serviceActions(service: string): readonly string[] | undefined {
    catalog ??= new Map<string, readonly string[]>([
        ["elasticloadbalancing", [...new Set([...operationsOf(elbv2), ...ClassicLoadBalancerActions])].sort()],
        ["ec2", operationsOf(ec2).sort()],
        ["iam", operationsOf(iam).sort()],
    ]);
    return catalog.get(service.toLowerCase());
}
