import { accountRootArn } from "../internal/arn";
import { PolicyDocument, policyDocument } from "../internal/iam";

/** The name of the registrar role's inline policy (the doctor looks for it). */
export const RegistrarPolicyName = "register-targets";

/**
 * Trust of a cross-account cluster's registrar role. IAM refuses a trust
 * policy naming a role that does not exist yet, so it trusts the cluster
 * account's root, narrowed by `aws:PrincipalArn` to exactly the controller
 * role (which the cluster stack creates later) and by the external ID.
 */
export function registrarTrustPolicy(
    partition: string,
    clusterAccountId: string,
    controllerRoleArn: string,
    externalId: string,
): PolicyDocument {
    return policyDocument({
        Sid: "ControllerOfCluster",
        Effect: "Allow",
        Principal: { AWS: accountRootArn(partition, clusterAccountId) },
        Action: "sts:AssumeRole",
        Condition: {
            StringEquals: {
                "aws:PrincipalArn": controllerRoleArn,
                "sts:ExternalId": externalId,
            },
        },
    });
}

/**
 * What the controller does through the registrar role: register and
 * deregister targets in this cluster's target groups only, and the two
 * describe calls it makes there (they do not support resource scoping).
 */
export function registrarPermissions(targetGroupArns: string[]): PolicyDocument {
    return policyDocument(
        {
            Sid: "RegisterIntoOwnTargetGroups",
            Effect: "Allow",
            Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            Resource: [...targetGroupArns].sort(),
        },
        {
            Sid: "DescribeTargets",
            Effect: "Allow",
            Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
            Resource: "*",
        },
    );
}
