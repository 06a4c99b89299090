import * as pulumi from "@pulumi/pulumi";
import * as aws from "../internal/aws";
import * as k8s from "../internal/kubernetes";
import { ClusterAttachmentArgs } from "./args";
import { TargetGroupBindingCrd } from "./crd";
import { controllerHelmValues } from "./helm-values";
import {
    bindingPorts, KubernetesObject, namespaceManifest, NamespacePlan, namespacePlan, securityGroupRulePlan, TargetGroupBindingApiVersion,
    TargetGroupBindingImmutableFields, TargetGroupBindingKind, TargetGroupBindingObject, targetGroupBindingManifest,
} from "./manifests";
import { arnPartition, controllerPermissionsPolicy, controllerTrustPolicy, normalizeIssuer, securityGroupArn } from "./policy";
import { assertClusterFacts, assertSecurityGroupId, ResolvedAttachment, validateClusterAttachmentArgs } from "./validate";
import { ControllerChart } from "./versions";

/** The chart and release a GitOps user installs with the rendered values. */
export interface ControllerChartRef {
    name: string;
    repository: string;
    version: string;
    releaseName: string;
    namespace: string;
}

/**
 * Everything the cluster needs, rendered: what Pulumi applies, or what a
 * GitOps tool applies when `applyToCluster` is false.
 */
export interface AttachmentManifests {
    /** The chart to install (absent when `controller.install` is false). */
    chart?: ControllerChartRef;
    /** Its values (absent when `controller.install` is false). */
    helmValues?: Record<string, unknown>;
    /**
     * Namespaces by name: with `createNamespaces` every namespace the objects
     * live in (apply them first); otherwise those to label for readiness
     * gates (server-side apply them: only the label is added).
     */
    namespaces: Record<string, KubernetesObject>;
    /** TargetGroupBindings by service. */
    targetGroupBindings: Record<string, TargetGroupBindingObject>;
    /**
     * The pinned TargetGroupBinding CRD, by name, when `manageCrd` is on: apply
     * it before the chart (Helm never upgrades CRDs).
     */
    crds?: Record<string, KubernetesObject>;
}

/** One bound service, as the outputs report it. */
export interface BindingOutput {
    namespace: string;
    name: string;
    service: string;
    servicePort: number | string;
    targetGroupArn: string;
    targetType: string;
}

/**
 * Attaches one EKS cluster to the pet ALB's target groups: the controller's
 * IRSA role and TargetGroupBinding-only policy, the controller's Helm release,
 * one TargetGroupBinding per bound service, and the security-group ingress
 * from the ALB. Pass the cluster's Kubernetes provider through `providers`
 * (or `provider`) in the options.
 *
 * Order (explicit `dependsOn`): role and policy, then CRD, then release, then
 * bindings; destroy runs in reverse, so bindings are deleted while the
 * controller can still deregister targets and drop finalizers. Every
 * namespaced object also waits for its namespace (created with
 * `createNamespaces`, or labelled in place).
 *
 * A binding whose immutable fields change (target group ARN, target type, IP
 * address type, VPC: the controller's webhook refuses such updates) is
 * replaced, the old one deleted first (same name).
 */
export class ClusterAttachment extends pulumi.ComponentResource {
    /** The controller role's ARN (undefined when `controller.createRole` is false). */
    readonly controllerRoleArn: pulumi.Output<string | undefined>;
    readonly controllerRoleName: pulumi.Output<string | undefined>;
    /** The controller's namespace and service account. */
    readonly serviceAccount: pulumi.Output<{ namespace: string; name: string }>;
    /** The Helm release's name and namespace (undefined without install or applyToCluster). */
    readonly releaseName: pulumi.Output<string | undefined>;
    readonly releaseNamespace: pulumi.Output<string | undefined>;
    /** The bindings, by service. */
    readonly bindings: pulumi.Output<Record<string, BindingOutput>>;
    /** The controller's Helm values (undefined when `controller.install` is false). */
    readonly helmValues: pulumi.Output<Record<string, unknown> | undefined>;
    /** Everything rendered for the cluster (see `AttachmentManifests`). */
    readonly manifests: pulumi.Output<AttachmentManifests>;
    /** Security-group ingress rule IDs by rule key (`<node group key>-<port>`), `rules` mode. */
    readonly securityGroupRuleIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: ClusterAttachmentArgs, opts?: pulumi.ComponentResourceOptions) {
        // Everything plain is checked before anything is registered.
        const plan: ResolvedAttachment = validateClusterAttachmentArgs(args);
        super("shared-alb:index:ClusterAttachment", name, {}, opts);

        const facts = pulumi.all([args.clusterName, args.oidcProviderArn, args.oidcIssuer, args.vpcId, args.region, args.albSecurityGroupId])
            .apply(([clusterName, oidcProviderArn, oidcIssuer, vpcId, region, albSecurityGroupId]) => {
                assertClusterFacts({ clusterName, oidcProviderArn, oidcIssuer, vpcId, region, albSecurityGroupId },
                    { crossAccount: plan.crossAccount, accountId: plan.accountId });
                return { clusterName, oidcProviderArn, oidcIssuer: normalizeIssuer(oidcIssuer), vpcId, region, albSecurityGroupId };
            });
        const nodeSgIds = pulumi.output(args.nodeSecurityGroupIds ?? {}).apply(ids => {
            for (const [k, v] of Object.entries(ids)) {
                assertSecurityGroupId(`nodeSecurityGroupIds.${k}`, v);
            }
            return ids as Record<string, string>;
        });
        const bindingList = Object.values(plan.bindings);
        const tgArns = pulumi.all(Object.fromEntries(bindingList.map(b => [b.key, args.cluster.targetGroups[b.key].arn])));

        // IAM: the controller role and its TargetGroupBinding-only policy.
        let role: aws.iam.Role | undefined;
        const roleDeps: pulumi.Resource[] = [];
        if (plan.controller.createRole) {
            role = new aws.iam.Role(`${name}-controller`, {
                name: plan.role.name,
                path: plan.role.path,
                description: `AWS Load Balancer Controller (TargetGroupBinding only) of cluster ${plan.accountId}, managed by shared-alb`,
                assumeRolePolicy: facts.apply(f => JSON.stringify(controllerTrustPolicy({
                    oidcProviderArn: f.oidcProviderArn,
                    oidcIssuer: f.oidcIssuer,
                    namespace: plan.controller.namespace,
                    serviceAccountName: plan.controller.serviceAccountName,
                }))),
                tags: plan.tags,
            }, { parent: this });
            const policy = new aws.iam.RolePolicy(`${name}-controller`, {
                role: role.name,
                name: "target-group-binding",
                policy: pulumi.all([facts, tgArns, nodeSgIds]).apply(([f, arns, sgs]) => JSON.stringify(controllerPermissionsPolicy({
                    registrarRoleArn: plan.registrarRoleArn,
                    targetGroupArns: Object.values(arns),
                    securityGroupMode: plan.securityGroupMode,
                    nodeSecurityGroupArns: Object.values(sgs).map(id => securityGroupArn(arnPartition(plan.role.arn), f.region, plan.accountId, id)),
                    ipTargets: bindingList.some(b => b.targetType === "ip"),
                }))),
            }, { parent: this });
            roleDeps.push(role, policy);
            if (plan.controller.additionalPolicyJson !== undefined) {
                roleDeps.push(new aws.iam.RolePolicy(`${name}-controller-additional`, {
                    role: role.name,
                    name: "additional",
                    policy: plan.controller.additionalPolicyJson,
                }, { parent: this }));
            }
        }
        const roleArn: pulumi.Output<string | undefined> = role ? role.arn : pulumi.output(plan.controller.roleArn);

        // Security-group ingress from the ALB to the targets (`rules` mode).
        const ruleIds: Record<string, pulumi.Output<string>> = {};
        const rules: pulumi.Resource[] = [];
        if (plan.securityGroupMode === "rules") {
            for (const r of securityGroupRulePlan(bindingList.flatMap(bindingPorts), plan.nodeSecurityGroupKeys)) {
                const rule = new aws.vpc.SecurityGroupIngressRule(`${name}-alb-${r.key}`, {
                    securityGroupId: args.nodeSecurityGroupIds![r.nodeSecurityGroupKey],
                    referencedSecurityGroupId: facts.albSecurityGroupId,
                    ipProtocol: "tcp",
                    fromPort: r.fromPort,
                    toPort: r.toPort,
                    description: r.description,
                    tags: plan.tags,
                }, { parent: this });
                ruleIds[r.key] = rule.id;
                rules.push(rule);
            }
        }

        // The rendered Kubernetes side.
        const helmValues = plan.controller.install
            ? pulumi.all([facts, roleArn]).apply(([f, arn]) => controllerHelmValues({
                clusterName: f.clusterName,
                region: f.region,
                vpcId: f.vpcId,
                serviceAccountName: plan.controller.serviceAccountName,
                roleArn: arn,
                replicas: plan.controller.replicas,
                resources: plan.controller.resources,
                extraValues: plan.controller.extraValues,
            }))
            : pulumi.output(undefined);
        const tgbs = pulumi.all([facts, tgArns, pulumi.output(args.cluster.externalId)]).apply(([f, arns, externalId]) =>
            Object.fromEntries(bindingList.map(b => [b.key, targetGroupBindingManifest({
                serviceKey: b.key,
                name: b.tgbName,
                namespace: b.namespace,
                serviceName: b.serviceName,
                servicePort: b.servicePort,
                targetGroupArn: arns[b.key],
                targetGroupProtocol: b.protocol,
                targetType: b.targetType,
                ipAddressType: b.ipAddressType,
                vpcId: f.vpcId,
                assumeRole: plan.registrarRoleArn === undefined ? undefined : { roleArn: plan.registrarRoleArn, externalId },
                multiClusterTargetGroup: plan.multiClusterTargetGroup,
                networking: plan.securityGroupMode === "controller"
                    ? { albSecurityGroupId: f.albSecurityGroupId, ports: [b.networkingPort!, ...(b.healthCheckPort !== undefined ? [b.healthCheckPort] : [])] }
                    : undefined,
            })])));
        const namespaces = namespacePlan({
            bindings: bindingList,
            controllerNamespace: plan.controller.install ? plan.controller.namespace : undefined,
            create: plan.createNamespaces,
            label: plan.labelNamespaces,
        });
        const chart: ControllerChartRef | undefined = plan.controller.install ? {
            name: ControllerChart.name,
            repository: ControllerChart.repository,
            version: plan.controller.chartVersion,
            releaseName: plan.controller.releaseName,
            namespace: plan.controller.namespace,
        } : undefined;
        const manifests = pulumi.all([helmValues, tgbs]).apply(([values, bindings]) => {
            const out: AttachmentManifests = {
                namespaces: Object.fromEntries(namespaces.map(ns => [ns.name, namespaceManifest(ns)])),
                targetGroupBindings: bindings,
            };
            if (chart !== undefined) {
                out.chart = chart;
                out.helmValues = values;
            }
            if (plan.manageCrd) {
                out.crds = { [TargetGroupBindingCrd.metadata.name]: TargetGroupBindingCrd as KubernetesObject };
            }
            return out;
        });

        // The Kubernetes objects.
        let release: k8s.helm.v3.Release | undefined;
        if (plan.applyToCluster) {
            const namespaceObjects = this.namespaces(name, namespaces, plan.retainNamespaces);
            const inNamespace = (ns: string): pulumi.Resource[] => namespaceObjects[ns] ? [namespaceObjects[ns]] : [];
            let crd: k8s.apiextensions.v1.CustomResourceDefinition | undefined;
            if (plan.manageCrd) {
                const doc = JSON.parse(JSON.stringify(TargetGroupBindingCrd)) as { metadata: Record<string, unknown>; spec: unknown };
                crd = new k8s.apiextensions.v1.CustomResourceDefinition(`${name}-tgb-crd`, {
                    metadata: {
                        ...doc.metadata,
                        annotations: {
                            ...(doc.metadata.annotations as Record<string, string>),
                            // Take the fields over from Helm's first install.
                            "pulumi.com/patchForce": "true",
                        },
                    },
                    spec: doc.spec as k8s.types.input.apiextensions.v1.CustomResourceDefinitionSpec,
                }, { parent: this, retainOnDelete: true });
            }
            if (plan.controller.install) {
                release = new k8s.helm.v3.Release(`${name}-controller`, {
                    name: plan.controller.releaseName,
                    chart: ControllerChart.name,
                    version: plan.controller.chartVersion,
                    repositoryOpts: { repo: ControllerChart.repository },
                    namespace: plan.controller.namespace,
                    createNamespace: false,
                    // The chart's other CRDs (IngressClassParams, ...) on first install;
                    // Helm skips the TargetGroupBinding CRD that already exists.
                    skipCrds: false,
                    // Ready before any binding: the webhooks fail closed.
                    skipAwait: false,
                    atomic: true,
                    cleanupOnFail: true,
                    timeout: 600,
                    maxHistory: 10,
                    values: helmValues as pulumi.Output<Record<string, unknown>>,
                }, { parent: this, dependsOn: [...roleDeps, ...(crd ? [crd] : []), ...inNamespace(plan.controller.namespace)] });
            }
            const tgbDeps: pulumi.Resource[] = [...(release ? [release] : roleDeps), ...rules];
            for (const b of bindingList) {
                const obj = tgbs.apply(all => all[b.key]);
                new k8s.apiextensions.CustomResource(`${name}-${b.key}`, {
                    apiVersion: TargetGroupBindingApiVersion,
                    kind: TargetGroupBindingKind,
                    metadata: obj.metadata,
                    spec: obj.spec,
                }, {
                    parent: this,
                    dependsOn: [...tgbDeps, ...inNamespace(b.namespace)],
                    // The webhook refuses in-place changes of these: replace the binding instead,
                    // deleting the old one first (it has the same name).
                    replaceOnChanges: TargetGroupBindingImmutableFields.map(f => `spec.${f}`),
                    deleteBeforeReplace: true,
                });
            }
        }

        this.controllerRoleArn = roleArn;
        this.controllerRoleName = pulumi.output(role ? role.name : undefined);
        this.serviceAccount = pulumi.output({ namespace: plan.controller.namespace, name: plan.controller.serviceAccountName });
        this.releaseName = release ? release.name.apply((n): string | undefined => n) : pulumi.output(undefined);
        this.releaseNamespace = release ? release.namespace.apply((n): string | undefined => n) : pulumi.output(undefined);
        this.bindings = tgArns.apply(arns => Object.fromEntries(bindingList.map(b => [b.key, {
            namespace: b.namespace,
            name: b.tgbName,
            service: b.serviceName,
            servicePort: b.servicePort,
            targetGroupArn: arns[b.key],
            targetType: b.targetType,
        }])));
        this.helmValues = helmValues;
        this.manifests = manifests;
        this.securityGroupRuleIds = pulumi.all(ruleIds);
        // `manifests` (the property has it all) stays out of the component's
        // registered outputs: it carries the 15 KB CRD, which the state holds
        // already, as the CRD resource and as a cluster stack's `manifests` output.
        this.registerOutputs({
            controllerRoleArn: this.controllerRoleArn,
            controllerRoleName: this.controllerRoleName,
            serviceAccount: this.serviceAccount,
            releaseName: this.releaseName,
            releaseNamespace: this.releaseNamespace,
            bindings: this.bindings,
            helmValues: this.helmValues,
            securityGroupRuleIds: this.securityGroupRuleIds,
        });
    }

    /**
     * The namespaces of the plan: created (kept on delete unless `retain` is
     * off), or patched with the readiness-gate label. By name.
     */
    private namespaces(name: string, namespaces: NamespacePlan[], retain: boolean): Record<string, pulumi.CustomResource> {
        const out: Record<string, pulumi.CustomResource> = {};
        for (const ns of namespaces) {
            const metadata = namespaceManifest(ns).metadata;
            out[ns.name] = ns.create
                ? new k8s.core.v1.Namespace(`${name}-ns-${ns.name}`, { metadata }, { parent: this, retainOnDelete: retain })
                : new k8s.core.v1.NamespacePatch(`${name}-ns-${ns.name}`, { metadata }, { parent: this });
        }
        return out;
    }
}
