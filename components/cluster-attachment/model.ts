/**
 * What `ClusterAttachment` builds, once its arguments are checked and
 * defaulted. Pure: no Pulumi runtime.
 */
import type { TargetProtocol, TargetType } from "../internal/values";
import type { IpAddressType, SecurityGroupMode } from "./args";
import type { ResourceList } from "./helm-values";

export const ControllerDefaults = {
    namespace: "kube-system",
    serviceAccountName: "aws-load-balancer-controller",
    releaseName: "aws-load-balancer-controller",
    replicas: 2,
} as const;

/** Longest cluster name for a cross-account cluster: `AWS-LBC-` + name within STS's 64 characters. */
export const MaxCrossAccountClusterName = 56;

export interface ResolvedBinding {
    /** The network's service name (the map key). */
    key: string;
    namespace: string;
    serviceName: string;
    servicePort: number | string;
    tgbName: string;
    ipAddressType: IpAddressType;
    targetType: TargetType;
    /** The target group's protocol (`spec.targetGroupProtocol`). */
    protocol: TargetProtocol;
    /** Ports the ALB sends traffic to on the nodes/pods (`rules` mode). */
    fromPort: number;
    toPort: number;
    /** The target group's own health-check port, when it is not the traffic port. */
    healthCheckPort?: number;
    /** The port in `networking.ingress` (`controller` mode). */
    networkingPort?: number;
}

export interface ResolvedController {
    install: boolean;
    createRole: boolean;
    /** The role you bring, when known now (an output is checked once known: read `controller.roleArn` of the args). */
    roleArn?: string;
    chartVersion: string;
    namespace: string;
    serviceAccountName: string;
    releaseName: string;
    replicas: number;
    resources: { requests?: ResourceList; limits?: ResourceList };
    extraValues: Record<string, unknown>;
    /** The additional policy, when known now (an output is checked once known: read `controller.additionalPolicyJson` of the args). */
    additionalPolicyJson?: string;
}

export interface ResolvedAttachment {
    accountId: string;
    crossAccount: boolean;
    /** The controller role, as the network stack named it. */
    role: { name: string; path: string; arn: string };
    registrarRoleArn?: string;
    securityGroupMode: SecurityGroupMode;
    nodeSecurityGroupKeys: string[];
    multiClusterTargetGroup: boolean;
    sharedVpc: boolean;
    applyToCluster: boolean;
    labelNamespaces: boolean;
    createNamespaces: boolean;
    retainNamespaces: boolean;
    manageCrd: boolean;
    /** Emit the ValidatingAdmissionPolicy that pins each target group to its binding's namespace. */
    bindingAdmissionPolicy: boolean;
    bindings: Record<string, ResolvedBinding>;
    controller: ResolvedController;
    tags: Record<string, string>;
}
