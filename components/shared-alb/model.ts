/**
 * The validated, defaulted model of a fleet: what `SharedAlb` builds. Pure:
 * no Pulumi runtime.
 */
import { TargetProtocol, TargetType } from "../internal/values";
import type { DesyncMitigationMode } from "./args";
import { TargetGroupDefaults } from "./target-groups";
import type { HealthCheckModel, TargetGroupModel, TargetGroupSettings } from "./target-groups";
import type { VpcSharingModel } from "./vpc-sharing";

export const Defaults = {
    loadBalancerName: "shared-alb",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    idleTimeout: 60,
    weight: 0,
    previewHeader: "x-shared-alb-cluster",
    protocol: TargetGroupDefaults.protocol,
    targetType: TargetGroupDefaults.targetType,
    deregistrationDelay: 30,
    slowStart: 0,
    healthCheck: TargetGroupDefaults.healthCheck,
} as const;

/**
 * What the arguments say when the component is constructed: everything that
 * decides which resources exist, their logical names, counts, ports, rules
 * and priorities. It holds no value an `Input` argument may give as an
 * Output (the region and what derives from it, the VPC, its primary CIDR,
 * the subnets, the default certificate, the web ACL, tag values): those are
 * in `FleetInputs`, read once they resolve, so reading one from the plan is
 * a compile error.
 */
export interface FleetPlan {
    accountId: string;
    loadBalancer: LoadBalancerPlan;
    clusters: Record<string, ClusterPlan>;
    services: Record<string, ServicePlan>;
    defaultService?: string;
    /** The VPC's CIDRs after the primary: plain, as they name the ALB's egress rules (`<name>-out-<ports>-<cidr>`). */
    secondaryVpcCidrs: string[];
    /** Present when the network shares subnets with the cluster accounts through AWS RAM. */
    vpcSharing?: VpcSharingModel;
    /** Present when preview routes are on. */
    preview?: PreviewModel;
}

/**
 * The values `Input` arguments give, read once they resolve (at once when
 * none is an Output), and what derives from them.
 */
export interface FleetInputs {
    /** The ALB's region: the one given, else the AWS provider's. */
    region: string;
    /** The region's partition (`aws`, `aws-cn`, `aws-us-gov`): every ARN the component builds is in it. */
    partition: string;
    vpcId: string;
    /** The VPC's IPv4 CIDRs, primary first: the ALB's egress destinations. */
    vpcCidrs: string[];
    /** The ALB's subnets (empty when an adopted ALB needs none). */
    subnetIds: string[];
    /** Certificate ARNs, the listener's default first. */
    certificateArns: string[];
    /** The regional WAF web ACL associated with the ALB, when one is given. */
    webAclArn?: string;
    tags: Record<string, string>;
    /** Each cluster's controller role ARN, in the region's partition (the registrar role trusts it). */
    controllerRoleArns: Record<string, string>;
    /** Target group names by cluster key, then service name: their digest covers the VPC. */
    targetGroupNames: Record<string, Record<string, string>>;
}

/** The whole fleet: the plan with its inputs in place (`fleetModel`), for what reads both, such as the outputs. */
export interface FleetModel extends Omit<FleetPlan, "loadBalancer" | "clusters" | "services"> {
    region: string;
    partition: string;
    vpcId: string;
    vpcCidrs: string[];
    subnetIds: string[];
    loadBalancer: LoadBalancerModel;
    clusters: Record<string, ClusterModel>;
    services: Record<string, ServiceModel>;
    tags: Record<string, string>;
}

/** The plan with its inputs in place. */
export function fleetModel(plan: FleetPlan, inputs: FleetInputs): FleetModel {
    const { controllerRoleArns, targetGroupNames, certificateArns, webAclArn, ...fleet } = inputs;
    return {
        ...plan,
        ...fleet,
        loadBalancer: { ...plan.loadBalancer, certificateArns, webAclArn },
        clusters: Object.fromEntries(
            Object.values(plan.clusters).map(c => [c.key, { ...c, controllerRoleArn: controllerRoleArns[c.key] }]),
        ),
        services: Object.fromEntries(
            Object.values(plan.services).map(s => [
                s.name,
                {
                    ...s,
                    targetGroups: Object.fromEntries(
                        Object.entries(s.targetGroups).map(([c, tg]) => [c, { ...tg, name: targetGroupNames[c][s.name] }]),
                    ),
                },
            ]),
        ),
    };
}

export interface PreviewModel {
    /** The request header whose value names the cluster. */
    header: string;
    /** The source CIDRs every preview rule requires (`source-ip`); empty: any source. */
    sourceCidrs: string[];
    /**
     * Whether the header value carries `preview.token` after the cluster key
     * (`<key>.<token>`). The token itself is not in the model: it is a secret,
     * which the component reads apart from the rest.
     */
    token: boolean;
    /**
     * Priorities of the header-only preview rules that stand in for the
     * listener's default action (the `defaultService`), by cluster key; empty
     * without a default service.
     */
    defaultActionPriorities: Record<string, number>;
}

/** The load balancer as the plan knows it: how many certificates, and the ones after the default (plain: they name their resources). */
export interface LoadBalancerPlan {
    /** The ALB's name: the configured one, or the adopted ALB's own. */
    name: string;
    internal: boolean;
    /** Adopt this ALB read-only; with it, a listener and a security group of the adopted ALB are given too. */
    existingArn?: string;
    existingListenerArn?: string;
    existingSecurityGroupId?: string;
    /** How many certificates are given (the HTTPS listener exists with one or more). */
    certificateCount: number;
    /** The certificates after the listener's default: each names its listener certificate resource. */
    extraCertificateArns: string[];
    /** An internet-facing ALB without certificates may serve plain HTTP (`loadBalancer.allowPlainHttp`). */
    allowPlainHttp: boolean;
    /** One of the ELB security policies with TLS 1.2 or 1.3 as the lowest protocol. */
    sslPolicy: string;
    ingressCidrs: string[];
    ingressPrefixListIds: string[];
    idleTimeout: number;
    /** Present when access logs are configured (`enabled` false keeps the bucket with logging off). */
    accessLogs?: { bucket: string; prefix: string; enabled: boolean };
    /** Absent: AWS's default (`defensive`). */
    desyncMitigationMode?: DesyncMitigationMode;
    /** A regional WAF web ACL is given (`loadBalancer.webAclArn`, which may be an Output). */
    webAcl: boolean;
    protect: boolean;
}

export interface LoadBalancerModel extends LoadBalancerPlan {
    /** Certificate ARNs, the listener's default first. */
    certificateArns: string[];
    /** The regional WAF web ACL associated with the ALB, when one is given. */
    webAclArn?: string;
}

export interface ClusterPlan {
    key: string;
    accountId: string;
    weight: number;
    crossAccount: boolean;
    controllerRoleName: string;
    /** Cross-account only. */
    registrarRoleName?: string;
    /**
     * Cross-account only: where the external ID the registrar role requires
     * comes from: `given` (`clusters.<key>.externalId`) or `generated` (a
     * random one the component keeps in state). The value is a secret, not
     * in the model: the component reads it apart from the rest.
     */
    externalId?: ExternalIdSource;
    /** The services this cluster runs (all unless `clusters.<key>.services` narrows them), sorted. */
    services: string[];
    /**
     * Where the cluster's preview rules sit in each service's block of
     * priorities (1..9): the given `clusters.<key>.previewSlot`, the deployed
     * one, or a free one (see allocate.ts). Retiring clusters keep theirs.
     */
    previewSlot: number;
    /** `clusters.<key>.previewSlot` was given. */
    previewSlotGiven: boolean;
    /**
     * Leaving the fleet (`clusters.<key>.retiring`): weight 0 everywhere and
     * no preview rules, but its target groups (still in the forward actions at
     * weight 0) and registrar role are kept until the key is removed.
     */
    retiring: boolean;
}

export interface ClusterModel extends ClusterPlan {
    /** The controller role's ARN, in the ALB's partition (the registrar role trusts it). */
    controllerRoleArn: string;
}

/** Where a cross-account cluster's external ID comes from. */
export type ExternalIdSource = "given" | "generated";

export interface ServicePlan {
    name: string;
    /** The service's own target group settings (`services.<name>`): every cluster's, unless its `serviceOverrides` say otherwise. */
    port: number;
    protocol: TargetProtocol;
    targetType: TargetType;
    hosts: string[];
    paths: string[];
    /** The listener rule's priority (meaningless for a default service without conditions, which has no rule). */
    priority: number;
    /** The priority was set in the config (1..999) rather than derived. */
    explicitPriority: boolean;
    /** The services whose overlapping requests this one may take although they are more specific (`services.<name>.shadows`), sorted. */
    shadows: string[];
    /** The clusters that run the service, sorted: each has a target group and an entry in the forward action. */
    clusters: string[];
    /** Effective weight of every cluster that runs the service (0 included). */
    weights: Record<string, number>;
    /** `instance` targets: the one NodePort the ALB must reach; absent: the whole NodePort range. */
    nodePort?: number;
    /** Priorities of the service's preview rules by cluster key (empty when preview routes are off). */
    previewPriorities: Record<string, number>;
    healthCheck: HealthCheckModel;
    deregistrationDelay: number;
    slowStart: number;
    stickinessDuration?: number;
    /** Each cluster's target group (clusters that run the service only): the service's settings with the cluster's overrides. */
    targetGroups: Record<string, TargetGroupSettings>;
}

export interface ServiceModel extends Omit<ServicePlan, "targetGroups"> {
    /** Each cluster's target group with its name. */
    targetGroups: Record<string, TargetGroupModel>;
}
