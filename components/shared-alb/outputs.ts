/**
 * The network outputs contract (`NetworkOutputs`) from the model and the
 * resources SharedAlb created: what the network stack exports and the
 * cluster stacks, `manifests` and `doctor` read.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterOutputs, NetworkOutputs, ServiceOutputs, TargetGroupOutputs } from "../internal/contract";
import { keysOf } from "../internal/read";
import { ClusterModel, FleetModel, FleetPlan, ServiceModel } from "./model";
import { hasConditions } from "./rules";
import { own } from "../internal/data";

/** The Outputs the contract is made of. */
export interface OutputSources {
    loadBalancer: {
        arn: pulumi.Output<string>;
        name: pulumi.Output<string>;
        dnsName: pulumi.Output<string>;
        zoneId: pulumi.Output<string>;
    };
    securityGroupId: pulumi.Output<string>;
    listenerArns: pulumi.Output<Record<string, string>>;
    /** By cluster, then service. */
    targetGroups: Record<string, Record<string, { arn: pulumi.Output<string>; name: pulumi.Output<string> }>>;
    /** By rule key (`rule-<service>`, `preview-<service>-<cluster>`, `default-preview-<cluster>`). */
    ruleArns: Record<string, pulumi.Output<string>>;
    /** By cluster key (cross-account clusters). */
    registrarRoleArns: Record<string, pulumi.Output<string>>;
    resourceShareArn?: pulumi.Output<string>;
}

/** What the resources gave, known. */
export interface KnownSources {
    loadBalancer: { arn: string; name: string; dnsName: string; zoneId: string };
    securityGroupId: string;
    listenerArns: Record<string, string>;
    targetGroups: Record<string, Record<string, { arn: string; name: string }>>;
    ruleArns: Record<string, string>;
    registrarRoleArns: Record<string, string>;
    resourceShareArn?: string;
}

/** The whole contract, once the model (its Inputs resolved) and the resources' outputs are known. */
export function networkOutputs(model: pulumi.Output<FleetModel>, from: OutputSources): pulumi.Output<NetworkOutputs> {
    const lb = from.loadBalancer;
    const sources: pulumi.Output<KnownSources> = pulumi.output({
        loadBalancer: { arn: lb.arn, name: lb.name, dnsName: lb.dnsName, zoneId: lb.zoneId },
        securityGroupId: from.securityGroupId,
        listenerArns: from.listenerArns,
        targetGroups: from.targetGroups,
        ruleArns: from.ruleArns,
        registrarRoleArns: from.registrarRoleArns,
        resourceShareArn: from.resourceShareArn,
    });
    return pulumi.all([model, sources]).apply(([m, known]) => buildNetworkOutputs(m, known));
}

/** The contract from the model and the resources' known outputs. Pure. */
export function buildNetworkOutputs(model: FleetModel, from: KnownSources): NetworkOutputs {
    const preview = model.preview;
    const sharing = model.vpcSharing;
    const out: NetworkOutputs = {
        accountId: model.accountId,
        region: model.region,
        vpcId: model.vpcId,
        securityGroupId: from.securityGroupId,
        loadBalancer: { ...from.loadBalancer, securityGroupId: from.securityGroupId, listenerArns: from.listenerArns },
        services: Object.fromEntries(Object.values(model.services).map(s => [s.name, serviceOutputs(model, s, from)])),
        clusters: Object.fromEntries(Object.values(model.clusters).map(c => [c.key, clusterOutputs(model, c, from)])),
    };
    if (model.defaultService !== undefined) {
        out.defaultService = model.defaultService;
    }
    if (preview !== undefined) {
        out.preview = {
            header: preview.header,
            sourceCidrs: [...preview.sourceCidrs],
            tokenRequired: preview.token,
            defaultActionRuleArns: Object.fromEntries(
                Object.keys(preview.defaultActionPriorities).map(c => [c, from.ruleArns[`default-preview-${c}`]]),
            ),
        };
    }
    if (sharing !== undefined && from.resourceShareArn !== undefined) {
        out.vpcSharing = {
            resourceShareArn: from.resourceShareArn,
            subnetIds: [...sharing.subnetIds],
            principals: [...sharing.principals],
        };
    }
    return out;
}

/** A service's entry: its target groups' shape, weights, conditions and rule ARNs. */
function serviceOutputs(model: FleetModel, s: ServiceModel, from: KnownSources): ServiceOutputs {
    const arn = from.ruleArns[`rule-${s.name}`];
    const out: ServiceOutputs = {
        port: s.port,
        protocol: s.protocol,
        targetType: s.targetType,
        weights: { ...s.weights },
        hosts: [...s.hosts],
        paths: [...s.paths],
    };
    if (s.nodePort !== undefined) {
        out.nodePort = s.nodePort;
    }
    if (arn !== undefined) {
        out.ruleArn = arn;
    }
    // Recorded for a weightless service too (its preview rules sit in its block): the next update keeps it (see allocate.ts).
    if (hasConditions(s)) {
        out.priority = s.priority;
    }
    if (model.preview !== undefined) {
        out.previewRuleArns = Object.fromEntries(Object.keys(s.previewPriorities).map(c => [c, from.ruleArns[`preview-${s.name}-${c}`]]));
    }
    return out;
}

/** A cluster's entry: what its stack needs to attach (roles, the services it runs, their target groups). */
function clusterOutputs(model: FleetModel, c: ClusterModel, from: KnownSources): ClusterOutputs {
    const targetGroups: Record<string, TargetGroupOutputs> = {};
    for (const [service, tg] of Object.entries(own(from.targetGroups, c.key) ?? {})) {
        const m = model.services[service].targetGroups[c.key];
        const out: TargetGroupOutputs = { arn: tg.arn, name: tg.name, port: m.port, protocol: m.protocol, targetType: m.targetType };
        if (m.healthCheck.port !== undefined) {
            out.healthCheckPort = m.healthCheck.port;
        }
        if (m.nodePort !== undefined) {
            out.nodePort = m.nodePort;
        }
        targetGroups[service] = out;
    }
    const out: ClusterOutputs = {
        accountId: c.accountId,
        weight: c.weight,
        retiring: c.retiring,
        controllerRoleArn: c.controllerRoleArn,
        services: [...c.services],
        targetGroups,
    };
    if (model.preview !== undefined) {
        out.previewSlot = c.previewSlot;
    }
    const registrarRoleArn = own(from.registrarRoleArns, c.key);
    if (registrarRoleArn !== undefined) {
        out.registrarRoleArn = registrarRoleArn;
    }
    return out;
}

/**
 * The contract's `clusters` with each cross-account cluster's external ID:
 * a secret as a whole as soon as one ID is in it.
 */
export function clustersWithExternalIds(
    outputs: pulumi.Output<NetworkOutputs>,
    externalIds: Record<string, pulumi.Output<string>>,
): pulumi.Output<Record<string, ClusterOutputs>> {
    return pulumi
        .all([outputs, pulumi.all(externalIds)])
        .apply(([o, ids]) =>
            Object.fromEntries(
                Object.entries(o.clusters).map(([key, entry]) => [
                    key,
                    own(ids, key) === undefined ? entry : { ...entry, externalId: own(ids, key) },
                ]),
            ),
        );
}

/** The fields of a cluster's entry, in the contract's order (the compiler keeps the list whole). */
const ClusterOutputKeys = keysOf<ClusterOutputs>({
    accountId: true,
    weight: true,
    retiring: true,
    controllerRoleArn: true,
    registrarRoleArn: true,
    externalId: true,
    services: true,
    previewSlot: true,
    targetGroups: true,
});

/**
 * The network outputs contract as a stack exports it, each value an Output
 * of its own: a cluster's entry field by field, so its external ID is a
 * secret and nothing else is (one Output holding it would be a secret as a
 * whole, and `pulumi stack output --json` would hide the whole entry).
 * Fields absent from an entry resolve to nothing, which a stack output omits.
 */
export interface NetworkStackOutputs {
    accountId: pulumi.Output<string>;
    region: pulumi.Output<string>;
    vpcId: pulumi.Output<string>;
    securityGroupId: pulumi.Output<string>;
    loadBalancer: pulumi.Output<NetworkOutputs["loadBalancer"]>;
    services: pulumi.Output<NetworkOutputs["services"]>;
    /** By cluster key, then field; `externalId` (cross-account clusters) is a secret. */
    clusters: Record<string, Record<string, pulumi.Output<unknown>>>;
    /** With `vpcSharing` only. */
    vpcSharing?: pulumi.Output<NetworkOutputs["vpcSharing"]>;
    /** With a `defaultService` only. */
    defaultService?: pulumi.Output<string | undefined>;
    /** With preview routes only. */
    preview?: pulumi.Output<NetworkOutputs["preview"]>;
}

/** The contract as a stack exports it (see `NetworkStackOutputs`); the plan says which clusters and optional outputs there are. */
export function networkStackOutputs(
    plan: FleetPlan,
    outputs: pulumi.Output<NetworkOutputs>,
    externalIds: Record<string, pulumi.Output<string>>,
): NetworkStackOutputs {
    const clusters: NetworkStackOutputs["clusters"] = {};
    for (const key of Object.keys(plan.clusters)) {
        const entry = outputs.apply(o => own(o.clusters, key)!);
        const fields = Object.fromEntries(ClusterOutputKeys.filter(k => k !== "externalId").map(k => [k, entry.apply(c => c[k])]));
        const id = own(externalIds, key);
        clusters[key] = id === undefined ? fields : { ...fields, externalId: id };
    }
    const out: NetworkStackOutputs = {
        accountId: outputs.accountId,
        region: outputs.region,
        vpcId: outputs.vpcId,
        securityGroupId: outputs.securityGroupId,
        loadBalancer: outputs.loadBalancer,
        services: outputs.services,
        clusters,
    };
    if (plan.vpcSharing !== undefined) {
        out.vpcSharing = outputs.vpcSharing;
    }
    if (plan.defaultService !== undefined) {
        out.defaultService = outputs.defaultService;
    }
    if (plan.preview !== undefined) {
        out.preview = outputs.preview;
    }
    return out;
}
