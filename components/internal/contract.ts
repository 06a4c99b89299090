import type { TargetProtocol, TargetType } from "./values";

/**
 * The network stack's outputs: a public contract read by every cluster stack
 * (through a stack reference), by `shared-alb manifests --network-outputs`
 * and by `shared-alb doctor`. Plain JSON, as `pulumi stack output --json`
 * prints it. Change it only in a backwards-compatible way.
 */
export interface NetworkOutputs {
    /** The account that owns the ALB, its target groups and registrar roles. */
    accountId: string;
    /** The region of the ALB, its target groups and every ARN built for them. */
    region: string;
    /** The VPC of the ALB and its target groups (shared with the clusters). */
    vpcId: string;
    /** The ALB's security group (same as `loadBalancer.securityGroupId`). */
    securityGroupId: string;
    /** The ALB: its ARN, name, DNS name, zone, security group and listener ARNs. */
    loadBalancer: LoadBalancerOutputs;
    /** Per service: what it forwards and how traffic is weighted across clusters. */
    services: Record<string, ServiceOutputs>;
    /** The service of the rules listener's default action, when configured. */
    defaultService?: string;
    /** Per cluster key. */
    clusters: Record<string, ClusterOutputs>;
    /** Present when the network stack shares subnets through AWS RAM. */
    vpcSharing?: VpcSharingOutputs;
    /** Present when preview routes are on. */
    preview?: PreviewOutputs;
}

export interface PreviewOutputs {
    /** The header whose value (a cluster key) sends a request to that cluster's target group. */
    header: string;
    /**
     * The source CIDRs a preview request must come from (empty: any source).
     * Absent in outputs of older versions (then: any source).
     */
    sourceCidrs?: string[];
    /**
     * Whether the header value must carry the preview token after the cluster
     * key (`<cluster key>.<token>`). The token itself is never an output.
     * Absent in outputs of older versions (then: no token).
     */
    tokenRequired?: boolean;
    /**
     * The header-only preview rules that stand in for the listener's default
     * action (the `defaultService`), by cluster key; empty without a default service.
     */
    defaultActionRuleArns: Record<string, string>;
}

export interface LoadBalancerOutputs {
    /** The ALB's ARN. */
    arn: string;
    /** The ALB's name. */
    name: string;
    /** The ALB's DNS name, the one promised to others. */
    dnsName: string;
    /** The ALB's canonical hosted zone ID, for Route 53 alias records. */
    zoneId: string;
    /** The ALB's security group, which the cluster stacks allow into their nodes. */
    securityGroupId: string;
    /**
     * Listener ARNs by role: `http` (port 80), `https` (port 443, when
     * certificates are given), or `existing` (an adopted listener).
     */
    listenerArns: Record<string, string>;
}

export interface ServiceOutputs {
    /**
     * The service's own target group settings (`services.<name>.port`,
     * `.protocol`, `.targetType`): those of every cluster's target group
     * unless `clusters.<key>.serviceOverrides.<name>` sets another. While
     * clusters differ, read each cluster's own in `clusters.<key>.targetGroups.<name>`.
     */
    port: number;
    /** The service's target group protocol (HTTP or HTTPS), unless a cluster overrides it. */
    protocol: TargetProtocol;
    /** The service's target type (ip or instance), unless a cluster overrides it. */
    targetType: TargetType;
    /**
     * Effective forward weight of each cluster that runs the service (0 =
     * attached and health-checked but sent nothing). Clusters that do not run
     * it are absent.
     */
    weights: Record<string, number>;
    /** The host conditions of the service's rule (empty: any host). Absent in outputs of older versions. */
    hosts?: string[];
    /** The path conditions of the service's rule (empty: any path). Absent in outputs of older versions. */
    paths?: string[];
    /** `instance` targets: the service's own declared NodePort (absent: the NodePort range 30000-32767); a cluster may override it. */
    nodePort?: number;
    /**
     * The service's listener rule; absent for a default service without
     * hosts or paths (it has none), for a service no cluster gives weight
     * (it has only preview rules), and in older outputs.
     */
    ruleArn?: string;
    /**
     * The priority of that rule, or the one kept for it while it has no rule
     * (no cluster gives it weight); the next update reads it back to keep the
     * rule where it is (`deployedAllocation`).
     */
    priority?: number;
    /** With preview routes: the service's preview rule per cluster key. */
    previewRuleArns?: Record<string, string>;
}

export interface ClusterOutputs {
    /** The cluster's AWS account, where its stack creates the controller role. */
    accountId: string;
    /** The cluster's default weight (0 while retiring). */
    weight: number;
    /**
     * The cluster is leaving (`clusters.<key>.retiring`): weight 0, no preview
     * rules, its target groups and registrar role kept until the key is
     * removed. Absent in outputs of older versions (then: not retiring).
     */
    retiring?: boolean;
    /** The ARN the cluster stack must give its controller role. */
    controllerRoleArn: string;
    /** Cross-account clusters only: the role the controller assumes in the ALB's account. */
    registrarRoleArn?: string;
    /**
     * Cross-account clusters only: the external ID the registrar role
     * requires, a secret (`"[secret]"` in `pulumi stack output --json`
     * without `--show-secrets`).
     */
    externalId?: string;
    /** The services the cluster runs, sorted (its target groups). Absent in outputs of older versions (then: every service). */
    services?: string[];
    /** With preview routes: where the cluster's preview rules sit in each service's block of priorities (1..9). */
    previewSlot?: number;
    /** Target groups by service: the services the cluster runs, each with this cluster's own settings. */
    targetGroups: Record<string, TargetGroupOutputs>;
}

/** One cluster's target group of a service: the service's settings with the cluster's `serviceOverrides`. */
export interface TargetGroupOutputs {
    /** The target group's ARN, the TargetGroupBinding's spec.targetGroupARN. */
    arn: string;
    /** The target group's name (changes when it is replaced). */
    name: string;
    /** The target group's port. */
    port: number;
    /** The target group's protocol (HTTP or HTTPS). */
    protocol: TargetProtocol;
    /** The target group's target type (ip or instance), the TargetGroupBinding's spec.targetType. */
    targetType: TargetType;
    /** The health check's own port, when it is not the traffic port. */
    healthCheckPort?: number;
    /** `instance` targets: the declared NodePort (absent: the NodePort range 30000-32767). */
    nodePort?: number;
}

export interface VpcSharingOutputs {
    /** The AWS RAM resource share's ARN. */
    resourceShareArn: string;
    /** The shared subnets. */
    subnetIds: string[];
    /** The principals the subnets are shared with: the accounts of the clusters outside the network account, and the principals given in vpcSharing.principals. */
    principals: string[];
}

/** What `pulumi stack output --json` writes for a secret without `--show-secrets`. */
export const HiddenSecret = "[secret]";

/** A cluster's external ID when the outputs show it; undefined when it has none or it is hidden as `"[secret]"`. */
export function shownExternalId(cluster: Pick<ClusterOutputs, "externalId">): string | undefined {
    return cluster.externalId && cluster.externalId !== HiddenSecret ? cluster.externalId : undefined;
}
