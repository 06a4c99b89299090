import * as pulumi from "@pulumi/pulumi";
import { configChecked } from "../internal/config-checked";
import { awsProviderOf, providerRegion } from "../internal/aws-provider";
import * as aws from "../internal/aws";
import * as k8s from "../internal/kubernetes";
import { Problems } from "../internal/errors";
import { join } from "../internal/read";
import { TargetType } from "../internal/values";
import { ClusterAttachmentArgs, SecurityGroupMode } from "./args";
import { AdmissionPolicyObjects, admissionPolicyManifests } from "./admission-policy";
import { PatchForceAnnotation, TargetGroupBindingCrd } from "./crd";
import { controllerHelmValues } from "./helm-values";
import {
    bindingPorts,
    KubernetesObject,
    namespaceManifest,
    NamespacePlan,
    namespacePlan,
    securityGroupRulePlan,
    TargetGroupBindingApiVersion,
    TargetGroupBindingImmutableFields,
    TargetGroupBindingKind,
    TargetGroupBindingObject,
    TargetGroupBindingSpecKeys,
    targetGroupBindingManifest,
} from "./manifests";
import {
    AdditionalPolicyName,
    arnPartition,
    ControllerPolicyName,
    controllerPermissionsPolicy,
    controllerTrustPolicy,
    securityGroupArn,
} from "./policy";
import {
    ClusterInputArgs,
    ClusterInputKey,
    ClusterInputKeys,
    KnownClusterInputs,
    collectKnownClusterInputs,
    completeClusterInputs,
    readNodeSecurityGroupId,
} from "./cluster-inputs";
import { AttachmentPlan, ClusterInputs } from "./model";
import { AttachmentPlanArgs, assertNetworkInput, planAccount, readAttachmentArgs, readAttachmentPlan } from "./validate";
import { assertControllerInput } from "./validate-controller";
import { ControllerChart } from "./versions";
import { hasOwn } from "../internal/data";

/** The chart and release a GitOps user installs with the rendered values. */
export interface ControllerChartRef {
    /** The chart's name (`aws-load-balancer-controller`). */
    name: string;
    /** The chart repository's URL (eks-charts). */
    repository: string;
    /** The chart version. */
    version: string;
    /** The Helm release name. */
    releaseName: string;
    /** The release's namespace. */
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
    /**
     * The ValidatingAdmissionPolicy pinning each target group to its
     * binding's namespace, and its ValidatingAdmissionPolicyBinding, by kind,
     * when `bindingAdmissionPolicy` is on (Kubernetes 1.30 or later): apply
     * them before the TargetGroupBindings.
     */
    admissionPolicy?: AdmissionPolicyObjects;
}

/** The controller's service account, which the IRSA trust names. */
export interface ServiceAccountRef {
    /** The service account's namespace (the controller's). */
    namespace: string;
    /** The service account's name. */
    name: string;
}

/** One bound service, as the outputs report it. */
export interface BindingOutput {
    /** The Service's namespace, where the TargetGroupBinding is. */
    namespace: string;
    /** The TargetGroupBinding's name. */
    name: string;
    /** The Service's name. */
    service: string;
    /** The Service port by number (`spec.serviceRef.port`), when the binding gives `port`. */
    port?: number;
    /** The Service port by name (`spec.serviceRef.port`), when the binding gives `portName`. */
    portName?: string;
    /** The ARN of the target group the Service's endpoints are registered in. */
    targetGroupArn: string;
    /** The target group's target type. */
    targetType: TargetType;
}

/** Each attachment's rendered manifests (kept off the class's properties, which are its schema outputs). */
const manifestsOf = new WeakMap<ClusterAttachment, pulumi.Output<AttachmentManifests>>();

/** One binding as the outputs report it. */
function bindingOutput(b: AttachmentPlan["bindings"][string], targetGroupArn: string): BindingOutput {
    return {
        namespace: b.namespace,
        name: b.tgbName,
        service: b.serviceName,
        ...(typeof b.servicePort === "number" ? { port: b.servicePort } : { portName: b.servicePort }),
        targetGroupArn,
        targetType: b.targetType,
    };
}

/** The controller's role: its ARN, and what the controller and the bindings wait on (the role and its policies). */
interface ControllerIam {
    /** Created (`controller.createRole`); absent for a role the user brings. */
    role?: aws.iam.Role;
    arn: pulumi.Output<string | undefined>;
    dependsOn: pulumi.Resource[];
}

/** The security-group ingress rules (`rules` mode): their IDs by rule key, and the rules the bindings wait on. */
interface Ingress {
    ids: Record<string, pulumi.Output<string>>;
    rules: pulumi.Resource[];
}

/** Everything rendered for the cluster, before anything is applied to it. */
interface Rendered {
    /** The controller's Helm values (absent when `controller.install` is false). */
    helmValues?: pulumi.Output<Record<string, unknown>>;
    /** The TargetGroupBindings by service, as the manifests write them (a secret when they hold the external ID). */
    targetGroupBindings: pulumi.Output<Record<string, TargetGroupBindingObject>>;
    /** The same without the external ID: the binding resources get it as a secret field of their own. */
    unsignedBindings: pulumi.Output<Record<string, TargetGroupBindingObject>>;
    /** Cross-account: the external ID, a secret. */
    externalId?: pulumi.Output<string>;
    namespaces: NamespacePlan[];
    /** The admission policy and its binding (absent when `bindingAdmissionPolicy` is false). */
    admissionPolicy?: pulumi.Output<AdmissionPolicyObjects>;
    manifests: pulumi.Output<AttachmentManifests>;
}

/**
 * Attaches one EKS cluster to the pet ALB's target groups: the controller's
 * IRSA role and TargetGroupBinding-only policy, the controller's Helm release,
 * one TargetGroupBinding per bound service, and the security-group ingress
 * from the ALB. Pass the cluster's Kubernetes provider through `providers`
 * (or `provider`) in the options; an AWS provider there (or the parent's)
 * gives the region when `region` is not set.
 *
 * Order (explicit `dependsOn`): role and policy, then CRD, then release, then
 * bindings; destroy runs in reverse, so bindings are deleted while the
 * controller can still deregister targets and drop finalizers. The admission
 * policy (after the CRD) and its binding come before the bindings too. Every
 * namespaced object also waits for its namespace (created with
 * `createNamespaces`, or labelled in place).
 *
 * A binding whose immutable fields change (target group ARN, target type, IP
 * address type, VPC: the controller's webhook refuses such updates) is
 * replaced, the old one deleted first (same name).
 */
export class ClusterAttachment extends pulumi.ComponentResource {
    /** The controller role's ARN; absent when `controller.createRole` is false and no `roleArn` is given. */
    readonly controllerRoleArn: pulumi.Output<string | undefined>;
    /** The controller role's name; absent when `controller.createRole` is false. */
    readonly controllerRoleName: pulumi.Output<string | undefined>;
    /** The controller's namespace and service account. */
    readonly serviceAccount: pulumi.Output<ServiceAccountRef>;
    /** The Helm release's name; absent without `controller.install` or `applyToCluster`. */
    readonly releaseName: pulumi.Output<string | undefined>;
    /** The Helm release's namespace; absent without `controller.install` or `applyToCluster`. */
    readonly releaseNamespace: pulumi.Output<string | undefined>;
    /** The TargetGroupBindings, keyed by the network's service name. */
    readonly bindings: pulumi.Output<Record<string, BindingOutput>>;
    /**
     * The controller's Helm values, free-form chart values (absent when
     * `controller.install` is false).
     */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form chart values: `any` is the schema's free-form value (pulumi.json#/Any)
    readonly helmValues: pulumi.Output<Record<string, any> | undefined>;
    /** Security-group ingress rule IDs by rule key (`<node group key>-<port>`), `rules` mode. */
    readonly securityGroupRuleIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: ClusterAttachmentArgs, opts?: pulumi.ComponentResourceOptions) {
        // What is known now is read before anything is registered: the plan
        // (unless `planAttachment` read it already) and the plain cluster inputs.
        // The region is the given one, else the AWS provider's of the options (never ambient config).
        const awsProvider = awsProviderOf(opts);
        const { plan, known } = readAtConstruction(args, awsProvider !== undefined);
        super("shared-alb:index:ClusterAttachment", name, {}, opts);
        const region: pulumi.Input<string | undefined> = args.region ?? (awsProvider && providerRegion(awsProvider, this));
        const inputs = this.clusterInputs({ ...args, region }, plan, known);
        const nodeSecurityGroupIds = this.nodeSecurityGroupIds(args, known);
        const bindings = Object.values(plan.bindings);
        const targetGroupArns = pulumi.all(
            Object.fromEntries(
                bindings.map(b => [
                    b.key,
                    pulumi
                        .output(args.cluster.targetGroups[b.key].arn)
                        .apply(arn => assertNetworkInput("targetGroupArn", join(join(join("cluster", "targetGroups"), b.key), "arn"), arn)),
                ]),
            ),
        );
        // A secret, whether or not it arrived as one.
        const externalId =
            args.cluster.externalId === undefined
                ? undefined
                : pulumi.secret(
                      pulumi.output(args.cluster.externalId).apply(id => assertNetworkInput("externalId", "cluster.externalId", id)),
                  );

        const controller = this.controllerRole(name, args, plan, inputs, targetGroupArns, pulumi.all(nodeSecurityGroupIds));
        const ingress = this.securityGroupRules(name, plan, inputs, nodeSecurityGroupIds);
        const rendered = renderCluster(plan, inputs, controller.arn, targetGroupArns, externalId);
        const release = plan.applyToCluster ? this.kubernetesObjects(name, plan, rendered, controller.dependsOn, ingress.rules) : undefined;

        this.controllerRoleArn = controller.arn;
        this.controllerRoleName = pulumi.output(controller.role ? controller.role.name : undefined);
        this.serviceAccount = pulumi.output({ namespace: plan.controller.namespace, name: plan.controller.serviceAccountName });
        this.releaseName = release ? release.name.apply((n): string | undefined => n) : pulumi.output(undefined);
        this.releaseNamespace = release ? release.namespace.apply((n): string | undefined => n) : pulumi.output(undefined);
        this.bindings = targetGroupArns.apply(arns => Object.fromEntries(bindings.map(b => [b.key, bindingOutput(b, arns[b.key])])));
        this.helmValues = rendered.helmValues ?? pulumi.output(undefined);
        manifestsOf.set(this, rendered.manifests);
        this.securityGroupRuleIds = pulumi.all(ingress.ids);
        // `manifests` stays out of the component's registered outputs: it
        // carries the 15 KB CRD, which the state holds already, as the CRD
        // resource and as a cluster stack's `manifests` output.
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
     * Everything rendered for the cluster (see `AttachmentManifests`), for
     * TypeScript programs and the `manifests` command. A getter, not an
     * output of the component's schema: the Kubernetes objects are free-form
     * documents, which other languages get from `shared-alb manifests`.
     */
    get manifests(): pulumi.Output<AttachmentManifests> {
        return manifestsOf.get(this)!;
    }

    /**
     * The cluster's inputs: the plain ones as read at construction, the
     * outputs read once they resolve, all at once, failing on this component
     * with the messages their plain values get.
     */
    private clusterInputs(
        given: { [K in ClusterInputKey]?: pulumi.Input<string | undefined> },
        plan: AttachmentPlan,
        known: KnownClusterInputs,
    ): pulumi.Output<ClusterInputs> {
        const pending = ClusterInputKeys.filter(key => known.values[key] === undefined);
        return pulumi
            .all(pending.map(key => given[key]))
            .apply(values =>
                configChecked(this, () =>
                    completeClusterInputs(known.values, Object.fromEntries(pending.map((key, i) => [key, values[i]])), planAccount(plan)),
                ),
            );
    }

    /** The node security group IDs by key, in the order given: each plain one as read, each output read once it resolves. */
    private nodeSecurityGroupIds(args: ClusterAttachmentArgs, known: KnownClusterInputs): Record<string, pulumi.Input<string>> {
        return Object.fromEntries(
            Object.entries(args.nodeSecurityGroupIds ?? {}).map(([key, id]) => [
                key,
                hasOwn(known.nodeSecurityGroupIds, key)
                    ? known.nodeSecurityGroupIds[key]
                    : pulumi.output(id).apply(v => configChecked(this, () => readNodeSecurityGroupId(key, v))),
            ]),
        );
    }

    /**
     * IAM: the controller role (IRSA trust on the cluster's OIDC provider) and
     * its TargetGroupBinding-only policy, plus the additional policy; or the
     * role the user brings.
     */
    private controllerRole(
        name: string,
        args: ClusterAttachmentArgs,
        plan: AttachmentPlan,
        inputs: pulumi.Output<ClusterInputs>,
        targetGroupArns: pulumi.Output<Record<string, string>>,
        nodeSecurityGroupIds: pulumi.Output<Record<string, string>>,
    ): ControllerIam {
        if (!plan.controller.createRole) {
            return { arn: checkedControllerInput(args, "roleArn"), dependsOn: [] };
        }
        const role = new aws.iam.Role(
            `${name}-controller`,
            {
                name: plan.role.name,
                path: plan.role.path,
                description: `AWS Load Balancer Controller (TargetGroupBinding only) of cluster ${plan.accountId}, managed by shared-alb`,
                assumeRolePolicy: inputs.apply(f =>
                    JSON.stringify(
                        controllerTrustPolicy({
                            oidcProviderArn: f.oidcProviderArn,
                            oidcIssuer: f.oidcIssuer,
                            namespace: plan.controller.namespace,
                            serviceAccountName: plan.controller.serviceAccountName,
                        }),
                    ),
                ),
                tags: plan.tags,
            },
            { parent: this },
        );
        const policy = this.controllerPolicy(name, plan, role, inputs, targetGroupArns, nodeSecurityGroupIds);
        const additional = this.additionalPolicy(name, args, role);
        const dependsOn: pulumi.Resource[] = additional !== undefined ? [role, policy, additional] : [role, policy];
        return { role, arn: role.arn, dependsOn };
    }

    /** The controller role's TargetGroupBinding-only policy, scoped to the cluster's target groups (and node security groups). */
    private controllerPolicy(
        name: string,
        plan: AttachmentPlan,
        role: aws.iam.Role,
        inputs: pulumi.Output<ClusterInputs>,
        targetGroupArns: pulumi.Output<Record<string, string>>,
        nodeSecurityGroupIds: pulumi.Output<Record<string, string>>,
    ): aws.iam.RolePolicy {
        const partition = arnPartition(plan.role.arn);
        return new aws.iam.RolePolicy(
            `${name}-controller`,
            {
                role: role.name,
                name: ControllerPolicyName,
                policy: pulumi.all([inputs, targetGroupArns, nodeSecurityGroupIds]).apply(([f, arns, sgs]) =>
                    JSON.stringify(
                        controllerPermissionsPolicy({
                            registrarRoleArn: plan.registrarRoleArn,
                            targetGroupArns: Object.values(arns),
                            securityGroupMode: plan.securityGroupMode,
                            nodeSecurityGroupArns: Object.values(sgs).map(id => securityGroupArn(partition, f.region, plan.accountId, id)),
                            ipTargets: Object.values(plan.bindings).some(b => b.targetType === TargetType.Ip),
                        }),
                    ),
                ),
            },
            { parent: this },
        );
    }

    /** The controller role's additional inline policy (`controller.additionalPolicyJson`), when given. */
    private additionalPolicy(name: string, args: ClusterAttachmentArgs, role: aws.iam.Role): aws.iam.RolePolicy | undefined {
        const additionalPolicyJson = args.controller?.additionalPolicyJson;
        if (additionalPolicyJson === undefined) {
            return undefined;
        }
        return new aws.iam.RolePolicy(
            `${name}-controller-additional`,
            {
                role: role.name,
                name: AdditionalPolicyName,
                policy: pulumi.output(additionalPolicyJson).apply(v => assertControllerInput("additionalPolicyJson", v)),
            },
            { parent: this },
        );
    }

    /** Security-group ingress from the ALB's security group to the targets' ports on every node security group (`rules` mode). */
    private securityGroupRules(
        name: string,
        plan: AttachmentPlan,
        inputs: pulumi.Output<ClusterInputs>,
        nodeSecurityGroupIds: Record<string, pulumi.Input<string>>,
    ): Ingress {
        const ingress: Ingress = { ids: {}, rules: [] };
        if (plan.securityGroupMode !== SecurityGroupMode.Rules) {
            return ingress;
        }
        for (const r of securityGroupRulePlan(Object.values(plan.bindings).flatMap(bindingPorts), plan.nodeSecurityGroupKeys)) {
            const rule = new aws.vpc.SecurityGroupIngressRule(
                `${name}-alb-${r.key}`,
                {
                    securityGroupId: nodeSecurityGroupIds[r.nodeSecurityGroupKey],
                    referencedSecurityGroupId: inputs.albSecurityGroupId,
                    ipProtocol: "tcp",
                    fromPort: r.fromPort,
                    toPort: r.toPort,
                    description: r.description,
                    tags: plan.tags,
                },
                { parent: this },
            );
            ingress.ids[r.key] = rule.id;
            ingress.rules.push(rule);
        }
        return ingress;
    }

    /**
     * The Kubernetes objects, in the order they depend on each other: the
     * namespaces, the CRD, the controller's release (after the IAM role and
     * policy), the admission policy and its binding (after the CRD), then the
     * TargetGroupBindings (after the release, or the role, the security-group
     * rules and the admission policy's binding). Gives the release, when installed.
     */
    private kubernetesObjects(
        name: string,
        plan: AttachmentPlan,
        rendered: Rendered,
        iam: pulumi.Resource[],
        rules: pulumi.Resource[],
    ): k8s.helm.v3.Release | undefined {
        const namespaceObjects = this.namespaces(name, rendered.namespaces, plan.retainNamespaces);
        const inNamespace = (ns: string): pulumi.Resource[] => (hasOwn(namespaceObjects, ns) ? [namespaceObjects[ns]] : []);
        const crd = plan.manageCrd ? this.crd(name) : undefined;
        const release =
            rendered.helmValues === undefined
                ? undefined
                : this.release(name, plan, rendered.helmValues, [...iam, ...(crd ? [crd] : []), ...inNamespace(plan.controller.namespace)]);
        const guard =
            rendered.admissionPolicy === undefined ? [] : [this.admissionPolicy(name, rendered.admissionPolicy, crd ? [crd] : [])];
        for (const b of Object.values(plan.bindings)) {
            this.targetGroupBinding(name, b.key, rendered, [
                ...(release ? [release] : iam),
                ...rules,
                ...guard,
                ...inNamespace(b.namespace),
            ]);
        }
        return release;
    }

    /**
     * The ValidatingAdmissionPolicy that pins each target group to its
     * binding's namespace (after the CRD, whose schema the API server checks
     * its expressions against), and its binding, which puts it in force.
     * Gives the binding: the TargetGroupBindings wait for it, and are deleted
     * before it.
     */
    private admissionPolicy(
        name: string,
        objects: pulumi.Output<AdmissionPolicyObjects>,
        dependsOn: pulumi.Resource[],
    ): k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding {
        const policy = objects.apply(o => o.ValidatingAdmissionPolicy);
        const binding = objects.apply(o => o.ValidatingAdmissionPolicyBinding);
        const created = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
            `${name}-tgb-policy`,
            {
                metadata: policy.metadata,
                spec: policy.spec,
            },
            { parent: this, dependsOn },
        );
        return new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
            `${name}-tgb-policy`,
            {
                metadata: binding.metadata,
                spec: binding.spec,
            },
            { parent: this, dependsOn: [created] },
        );
    }

    /**
     * The pinned TargetGroupBinding CRD, applied as a patch: pulumi-kubernetes
     * creates a plain resource client-side (AlreadyExists when the object is
     * there), but server-side applies a `*Patch` resource, which creates the
     * CRD when it is absent and takes over the one an earlier Helm install, or
     * this stack before a destroy, left behind. `pulumi.com/patchForce` makes
     * the apply win the fields another field manager owns. Retained on delete:
     * deleting the CRD would delete every TargetGroupBinding, and a patch's
     * delete only gives up its fields, which the API refuses for the CRD's
     * required ones.
     */
    private crd(name: string): k8s.apiextensions.v1.CustomResourceDefinitionPatch {
        const { metadata, spec } = TargetGroupBindingCrd;
        return new k8s.apiextensions.v1.CustomResourceDefinitionPatch(
            `${name}-tgb-crd`,
            {
                metadata: {
                    ...metadata,
                    annotations: { ...metadata.annotations, [PatchForceAnnotation]: "true" },
                },
                // The vendored document's type (crd.ts) is not the SDK's JSONSchemaProps; the CRD tests pin its content.
                spec: JSON.parse(JSON.stringify(spec)) as k8s.types.input.apiextensions.v1.CustomResourceDefinitionSpecPatch,
            },
            { parent: this, retainOnDelete: true },
        );
    }

    /** The controller's Helm release in TargetGroupBinding-only mode, ready before any binding (the webhooks fail closed). */
    private release(
        name: string,
        plan: AttachmentPlan,
        values: pulumi.Output<Record<string, unknown>>,
        dependsOn: pulumi.Resource[],
    ): k8s.helm.v3.Release {
        return new k8s.helm.v3.Release(
            `${name}-controller`,
            {
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
                values,
            },
            { parent: this, dependsOn },
        );
    }

    /**
     * One service's TargetGroupBinding, replaced (the old one deleted first)
     * when an immutable field changes. Across accounts its spec is given
     * field by field, so the external ID is a secret of its own and the rest
     * (the target group, the role) stays readable in state and plans.
     */
    private targetGroupBinding(
        name: string,
        key: string,
        rendered: Rendered,
        dependsOn: pulumi.Resource[],
    ): k8s.apiextensions.CustomResource {
        const obj = rendered.unsignedBindings.apply(all => all[key]);
        const externalId = rendered.externalId;
        const spec =
            externalId === undefined
                ? obj.spec
                : {
                      ...Object.fromEntries(
                          TargetGroupBindingSpecKeys.filter(k => k !== "assumeRoleExternalId").map(k => [k, obj.spec.apply(s => s[k])]),
                      ),
                      assumeRoleExternalId: externalId,
                  };
        return new k8s.apiextensions.CustomResource(
            `${name}-${key}`,
            {
                apiVersion: TargetGroupBindingApiVersion,
                kind: TargetGroupBindingKind,
                metadata: obj.metadata,
                spec,
            },
            {
                parent: this,
                dependsOn,
                // The webhook refuses in-place changes of these: replace the binding instead,
                // deleting the old one first (it has the same name).
                replaceOnChanges: TargetGroupBindingImmutableFields.map(f => `spec.${f}`),
                deleteBeforeReplace: true,
            },
        );
    }

    /**
     * The namespaces of the plan, by name. Those to keep (`createNamespaces`
     * with `retainNamespaces`) and those only labelled are server-side
     * applied (`NamespacePatch`): created when absent, adopted when present;
     * the kept ones are forgotten on delete, the labelled ones lose the label.
     * With `retainNamespaces: false` they are `Namespace` resources the
     * component owns and deletes, so a namespace that already exists is
     * refused (AlreadyExists) rather than deleted later with everything in it.
     */
    private namespaces(name: string, namespaces: NamespacePlan[], retain: boolean): Record<string, pulumi.CustomResource> {
        const out: Record<string, pulumi.CustomResource> = {};
        for (const ns of namespaces) {
            const metadata = namespaceManifest(ns).metadata;
            out[ns.name] =
                ns.create && !retain
                    ? new k8s.core.v1.Namespace(`${name}-ns-${ns.name}`, { metadata }, { parent: this })
                    : new k8s.core.v1.NamespacePatch(`${name}-ns-${ns.name}`, { metadata }, { parent: this, retainOnDelete: ns.create });
        }
        return out;
    }
}

/**
 * Plans read before the cluster's inputs were known (`planAttachment`), by
 * the arguments made from them: the component takes such a plan as read.
 */
const plansRead = new WeakMap<ClusterAttachmentArgs, AttachmentPlan>();

/** An attachment planned before its cluster exists: the plan, and the component's arguments once the cluster's inputs are there. */
export interface PlannedAttachment {
    readonly plan: AttachmentPlan;
    /**
     * The component's arguments: the planned ones with the cluster's inputs,
     * whose node security groups must have the plan's keys. The component
     * reads only the inputs.
     */
    withInputs(inputs: ClusterInputArgs): ClusterAttachmentArgs;
}

/**
 * Reads the plan of an attachment from its arguments without the cluster's
 * inputs, for a program that must check everything plain before it creates
 * or looks up the cluster (the cluster stack); throws `ConfigErrors`. The
 * node security groups' keys are given apart, as they are known before the
 * IDs.
 */
export function planAttachment(args: AttachmentPlanArgs, nodeSecurityGroupKeys: readonly string[], root = ""): PlannedAttachment {
    const plan = readAttachmentPlan(args, nodeSecurityGroupKeys, root);
    return {
        plan,
        withInputs: inputs => {
            const keys = Object.keys(inputs.nodeSecurityGroupIds ?? {}).sort();
            if (keys.join() !== plan.nodeSecurityGroupKeys.join()) {
                throw new Error(
                    `planAttachment: node security groups ${keys.join(", ") || "(none)"} given, planned ${plan.nodeSecurityGroupKeys.join(", ") || "(none)"}`,
                );
            }
            // Frozen: the plan read stays the plan of these arguments.
            const full: ClusterAttachmentArgs = Object.freeze({ ...args, ...inputs });
            plansRead.set(full, plan);
            return full;
        },
    };
}

/**
 * What the component reads at construction: the plan (as read already when
 * `planAttachment` made the arguments) and the plain cluster inputs; throws
 * every problem at once.
 */
function readAtConstruction(args: ClusterAttachmentArgs, regionFromProvider: boolean): { plan: AttachmentPlan; known: KnownClusterInputs } {
    const plan = plansRead.get(args);
    if (plan === undefined) {
        return readAttachmentArgs(args, "", { regionFromProvider });
    }
    const problems = new Problems();
    const known = collectKnownClusterInputs(problems, args, planAccount(plan), "", regionFromProvider);
    problems.throwIfAny();
    return { plan, known };
}

/** `controller.roleArn` (a role you bring), checked once it resolves. */
function checkedControllerInput(args: ClusterAttachmentArgs, key: "roleArn"): pulumi.Output<string | undefined> {
    return pulumi.output(args.controller?.[key]).apply(v => (v === undefined ? undefined : assertControllerInput(key, v)));
}

/**
 * The Kubernetes side, rendered: the controller's Helm values, one
 * TargetGroupBinding per service, the namespaces to create or label, and
 * all of it as `AttachmentManifests` for GitOps.
 */
function renderCluster(
    plan: AttachmentPlan,
    inputs: pulumi.Output<ClusterInputs>,
    roleArn: pulumi.Output<string | undefined>,
    targetGroupArns: pulumi.Output<Record<string, string>>,
    externalId: pulumi.Output<string> | undefined,
): Rendered {
    const helmValues = plan.controller.install
        ? pulumi.all([inputs, roleArn]).apply(([f, arn]) =>
              controllerHelmValues({
                  clusterName: f.clusterName,
                  region: f.region,
                  vpcId: f.vpcId,
                  serviceAccountName: plan.controller.serviceAccountName,
                  roleArn: arn,
                  replicas: plan.controller.replicas,
                  resources: plan.controller.resources,
                  extraValues: plan.controller.extraValues,
              }),
          )
        : undefined;
    const unsignedBindings = pulumi
        .all([inputs, targetGroupArns])
        .apply(([f, arns]) => targetGroupBindingManifests(plan, f, arns, undefined));
    const targetGroupBindings =
        externalId === undefined
            ? unsignedBindings
            : pulumi.all([inputs, targetGroupArns, externalId]).apply(([f, arns, id]) => targetGroupBindingManifests(plan, f, arns, id));
    const bindings = Object.values(plan.bindings);
    const admissionPolicy = plan.bindingAdmissionPolicy
        ? targetGroupArns.apply(arns =>
              admissionPolicyManifests(bindings.map(b => ({ targetGroupArn: arns[b.key], namespace: b.namespace }))),
          )
        : undefined;
    const namespaces = namespacePlan({
        bindings,
        controllerNamespace: plan.controller.install ? plan.controller.namespace : undefined,
        create: plan.createNamespaces,
        label: plan.labelNamespaces,
    });
    return {
        helmValues,
        targetGroupBindings,
        unsignedBindings,
        externalId,
        namespaces,
        admissionPolicy,
        manifests: attachmentManifests(plan, { helmValues, targetGroupBindings, admissionPolicy }, namespaces),
    };
}

/** One TargetGroupBinding per bound service, with every field the controller's webhook would otherwise fill in. */
function targetGroupBindingManifests(
    plan: AttachmentPlan,
    inputs: ClusterInputs,
    arns: Record<string, string>,
    externalId: string | undefined,
): Record<string, TargetGroupBindingObject> {
    return Object.fromEntries(
        Object.values(plan.bindings).map(b => [
            b.key,
            targetGroupBindingManifest({
                serviceKey: b.key,
                name: b.tgbName,
                namespace: b.namespace,
                serviceName: b.serviceName,
                servicePort: b.servicePort,
                targetGroupArn: arns[b.key],
                targetGroupProtocol: b.protocol,
                targetType: b.targetType,
                ipAddressType: b.ipAddressType,
                vpcId: inputs.vpcId,
                assumeRole: plan.registrarRoleArn === undefined ? undefined : { roleArn: plan.registrarRoleArn, externalId },
                multiClusterTargetGroup: plan.multiClusterTargetGroup,
                networking:
                    plan.securityGroupMode === SecurityGroupMode.Controller && b.networkingPort !== undefined
                        ? {
                              albSecurityGroupId: inputs.albSecurityGroupId,
                              ports: [b.networkingPort, ...(b.healthCheckPort !== undefined ? [b.healthCheckPort] : [])],
                          }
                        : undefined,
            }),
        ]),
    );
}

/**
 * `AttachmentManifests`: the chart and its values (when installed), the
 * namespaces, the bindings, the CRD (when managed) and the admission policy
 * (when on).
 */
function attachmentManifests(
    plan: AttachmentPlan,
    rendered: Pick<Rendered, "helmValues" | "targetGroupBindings" | "admissionPolicy">,
    namespaces: NamespacePlan[],
): pulumi.Output<AttachmentManifests> {
    return pulumi
        .all([rendered.helmValues, rendered.targetGroupBindings, rendered.admissionPolicy])
        .apply(([values, bindings, admissionPolicy]) => {
            const out: AttachmentManifests = {
                namespaces: Object.fromEntries(namespaces.map(ns => [ns.name, namespaceManifest(ns)])),
                targetGroupBindings: bindings,
            };
            if (plan.controller.install && values !== undefined) {
                out.chart = {
                    name: ControllerChart.name,
                    repository: ControllerChart.repository,
                    version: plan.controller.chartVersion,
                    releaseName: plan.controller.releaseName,
                    namespace: plan.controller.namespace,
                };
                out.helmValues = values;
            }
            if (plan.manageCrd) {
                out.crds = { [TargetGroupBindingCrd.metadata.name]: TargetGroupBindingCrd };
            }
            if (admissionPolicy !== undefined) {
                out.admissionPolicy = admissionPolicy;
            }
            return out;
        });
}
