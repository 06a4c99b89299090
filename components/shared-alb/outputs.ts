/**
 * The network outputs contract (`NetworkOutputs`) from the model and the
 * resources SharedAlb created: what the network stack exports and the
 * cluster stacks, `manifests` and `doctor` read.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterOutputs, NetworkOutputs, ServiceOutputs, TargetGroupOutputs } from "../internal/contract";
import { ClusterModel, FleetModel, ServiceModel } from "./model";

/** The Outputs the contract is made of. */
export interface OutputSources {
    loadBalancer: { arn: pulumi.Output<string>; name: pulumi.Output<string>; dnsName: pulumi.Output<string>; zoneId: pulumi.Output<string> };
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

/** The whole contract. */
export function networkOutputs(model: FleetModel, from: OutputSources): pulumi.Output<NetworkOutputs> {
    const services = Object.fromEntries(Object.values(model.services).map(s => [s.name, serviceOutputs(model, s, from)]));
    const clusters = Object.fromEntries(Object.values(model.clusters).map(c => [c.key, clusterOutputs(model, c, from)]));
    const preview = model.preview;
    const defaultPreviews = Object.fromEntries(Object.keys(preview?.defaultActionPriorities ?? {}).map(c => [c, from.ruleArns[`default-preview-${c}`]]));
    const sharing = model.vpcSharing;
    const lb = from.loadBalancer;
    return pulumi.all([pulumi.all([lb.arn, lb.name, lb.dnsName, lb.zoneId]), from.securityGroupId, from.listenerArns,
        pulumi.all(services), pulumi.all(clusters), from.resourceShareArn, pulumi.all(defaultPreviews)])
        .apply(([[arn, lbName, dnsName, zoneId], securityGroupId, listenerArns, serviceOutputs, clusterOutputs, resourceShareArn, defaultPreviewArns]) => {
            const out: NetworkOutputs = {
                accountId: model.accountId,
                region: model.region,
                vpcId: model.vpcId,
                securityGroupId,
                loadBalancer: { arn, name: lbName, dnsName, zoneId, securityGroupId, listenerArns },
                services: serviceOutputs,
                clusters: clusterOutputs,
            };
            if (model.defaultService !== undefined) {
                out.defaultService = model.defaultService;
            }
            if (preview !== undefined) {
                out.preview = { header: preview.header, defaultActionRuleArns: defaultPreviewArns };
            }
            if (sharing !== undefined && resourceShareArn !== undefined) {
                out.vpcSharing = { resourceShareArn, subnetIds: [...sharing.subnetIds], principals: [...sharing.principals] };
            }
            return out;
        });
}

/** A service's entry: its target groups' shape, weights, conditions and rule ARNs. */
function serviceOutputs(model: FleetModel, s: ServiceModel, from: OutputSources): pulumi.Output<ServiceOutputs> {
    const ruleArn = from.ruleArns[`rule-${s.name}`];
    const previews = Object.fromEntries(Object.keys(s.previewPriorities).map(c => [c, from.ruleArns[`preview-${s.name}-${c}`]]));
    return pulumi.all([ruleArn, pulumi.all(previews)]).apply(([arn, previewRuleArns]) => {
        const out: ServiceOutputs = {
            port: s.port, protocol: s.protocol, targetType: s.targetType, weights: { ...s.weights }, hosts: [...s.hosts], paths: [...s.paths],
        };
        if (s.nodePort !== undefined) {
            out.nodePort = s.nodePort;
        }
        if (arn !== undefined) {
            out.ruleArn = arn;
            out.priority = s.priority;
        }
        if (model.preview !== undefined) {
            out.previewRuleArns = previewRuleArns;
        }
        return out;
    });
}

/** A cluster's entry: what its stack needs to attach (roles, the services it runs, their target groups). */
function clusterOutputs(model: FleetModel, c: ClusterModel, from: OutputSources): pulumi.Output<ClusterOutputs> {
    const targetGroups: Record<string, pulumi.Output<TargetGroupOutputs>> = {};
    for (const [service, tg] of Object.entries(from.targetGroups[c.key] ?? {})) {
        const m = model.services[service].targetGroups[c.key];
        targetGroups[service] = pulumi.all([tg.arn, tg.name]).apply(([arn, tgName]) => {
            const out: TargetGroupOutputs = { arn, name: tgName, port: m.port, protocol: m.protocol, targetType: m.targetType };
            if (m.healthCheck.port !== undefined) {
                out.healthCheckPort = m.healthCheck.port;
            }
            if (m.nodePort !== undefined) {
                out.nodePort = m.nodePort;
            }
            return out;
        });
    }
    return pulumi.all([pulumi.all(targetGroups), from.registrarRoleArns[c.key]]).apply(([tgs, registrarRoleArn]) => {
        const out: ClusterOutputs = {
            accountId: c.accountId, weight: c.weight, retiring: c.retiring, controllerRoleArn: c.controllerRoleArn, services: [...c.services],
            targetGroups: tgs,
        };
        if (model.preview !== undefined) {
            out.previewSlot = c.previewSlot;
        }
        if (registrarRoleArn !== undefined) {
            out.registrarRoleArn = registrarRoleArn;
            out.externalId = c.externalId;
        }
        return out;
    });
}
