/**
 * IAM documents for the controller role: IRSA trust and TargetGroupBinding-only
 * permissions. Pure: built as objects, serialized with JSON.stringify.
 */
import { PolicyDocument, PolicyStatement } from "../internal/iam";

export { PolicyDocument, PolicyStatement };
export { arnPartition, parseRoleArn, securityGroupArn } from "../internal/arn";

/** The name of the controller role's inline policy (the doctor looks for it). */
export const ControllerPolicyName = "target-group-binding";
/** The name of the inline policy that carries `controller.additionalPolicyJson`. */
export const AdditionalPolicyName = "additional";

/** The audience EKS's IRSA webhook puts in projected tokens. */
export const IrsaAudience = "sts.amazonaws.com";

/** The issuer without scheme or trailing slash, as IAM condition keys need it. */
export function normalizeIssuer(issuer: string): string {
    return issuer.replace(/^https:\/\//, "").replace(/\/+$/, "");
}

export interface TrustPolicyInput {
    oidcProviderArn: string;
    oidcIssuer: string;
    namespace: string;
    serviceAccountName: string;
}

/**
 * IRSA trust: only the controller's service account, through the cluster's
 * OIDC provider, with the STS audience.
 */
export function controllerTrustPolicy(input: TrustPolicyInput): PolicyDocument {
    const issuer = normalizeIssuer(input.oidcIssuer);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ControllerServiceAccount",
                Effect: "Allow",
                Principal: { Federated: input.oidcProviderArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${issuer}:sub`]: `system:serviceaccount:${input.namespace}:${input.serviceAccountName}`,
                        [`${issuer}:aud`]: IrsaAudience,
                    },
                },
            },
        ],
    };
}

export interface PermissionsPolicyInput {
    /** Cross-account: the registrar role to assume; same-account: undefined. */
    registrarRoleArn?: string;
    /** Same-account: the cluster's own target groups (ignored cross-account). */
    targetGroupArns: string[];
    securityGroupMode: "rules" | "controller" | "none";
    /** `controller` mode: the node security group ARNs the controller may edit. */
    nodeSecurityGroupArns: string[];
    /** Whether any binding uses `ip` targets. */
    ipTargets: boolean;
}

/**
 * The controller's permissions, TargetGroupBinding path only:
 * - always `ec2:DescribeVpcs` (are pod IPs in the VPC?) and
 *   `ec2:DescribeSecurityGroups` (security-group cleanup runs even without
 *   `networking`), with the controller's own credentials;
 * - same-account: describe target groups and target health (no
 *   resource-level scoping exists for them), and register/deregister on its
 *   own target groups only;
 * - cross-account: `sts:AssumeRole` on the registrar role only; every
 *   Elastic Load Balancing call (the webhook's DescribeTargetGroups included)
 *   goes through that role, so none is granted in the cluster's own account;
 * - `controller` mode: ingress authorize/revoke on the node security groups
 *   only, `ec2:DescribeInstances`, and for `ip` targets
 *   `ec2:DescribeNetworkInterfaces`.
 * Never load balancer, listener, rule or target group creation, nor IAM.
 */
export function controllerPermissionsPolicy(input: PermissionsPolicyInput): PolicyDocument {
    const statements: PolicyStatement[] = [
        {
            Sid: "DescribeVpcsAndSecurityGroups",
            Effect: "Allow",
            Action: ["ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
            Resource: "*",
        },
    ];
    if (input.registrarRoleArn !== undefined) {
        statements.push({
            Sid: "AssumeRegistrarRole",
            Effect: "Allow",
            Action: "sts:AssumeRole",
            Resource: input.registrarRoleArn,
        });
    } else {
        statements.push(
            {
                Sid: "DescribeTargetGroups",
                Effect: "Allow",
                Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
                Resource: "*",
            },
            {
                Sid: "RegisterOwnTargets",
                Effect: "Allow",
                Action: ["elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:RegisterTargets"],
                Resource: [...new Set(input.targetGroupArns)].sort(),
            },
        );
    }
    if (input.securityGroupMode === "controller") {
        statements.push(
            {
                Sid: "DescribeTargetsForNetworking",
                Effect: "Allow",
                Action: input.ipTargets ? ["ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces"] : ["ec2:DescribeInstances"],
                Resource: "*",
            },
            {
                Sid: "ManageNodeSecurityGroupIngress",
                Effect: "Allow",
                Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
                Resource: [...new Set(input.nodeSecurityGroupArns)].sort(),
            },
        );
    }
    return { Version: "2012-10-17", Statement: statements };
}
