/**
 * Helm values for an AWS Load Balancer Controller that serves only
 * TargetGroupBindings (chart 3.5.0). Pure: no Pulumi runtime.
 *
 * The chart has no values schema, so an unknown key is silently ignored:
 * every key used here exists in the chart's values.yaml (ChartValueKeys), and
 * a unit test checks it.
 */

/**
 * Top-level keys of chart 3.5.0's values.yaml, plus the three its templates
 * read that the file only shows in comments (envSecretName, envFrom, creator).
 */
export const ChartValueKeys = [
    "replicaCount",
    "revisionHistoryLimit",
    "image",
    "runtimeClassName",
    "imagePullSecrets",
    "nameOverride",
    "fullnameOverride",
    "autoscaling",
    "serviceAccount",
    "rbac",
    "podSecurityContext",
    "securityContext",
    "terminationGracePeriodSeconds",
    "resources",
    "priorityClassName",
    "nodeSelector",
    "tolerations",
    "affinity",
    "configureDefaultAffinity",
    "topologySpreadConstraints",
    "updateStrategy",
    "serviceAnnotations",
    "deploymentAnnotations",
    "podAnnotations",
    "podLabels",
    "additionalLabels",
    "enableCertManager",
    "certManager",
    "clusterName",
    "cluster",
    "ingressClass",
    "ingressClassParams",
    "createIngressClassResource",
    "region",
    "vpcId",
    "vpcTags",
    "awsApiEndpoints",
    "awsApiThrottle",
    "awsMaxRetries",
    "defaultTargetType",
    "defaultLoadBalancerScheme",
    "enablePodReadinessGateInject",
    "enableShield",
    "enableWaf",
    "enableWafv2",
    "ingressMaxConcurrentReconciles",
    "logLevel",
    "metricsBindAddr",
    "webhookConfig",
    "webhookBindPort",
    "webhookTLS",
    "keepTLSSecret",
    "webhookNamespaceSelectors",
    "serviceMaxConcurrentReconciles",
    "targetgroupbindingMaxConcurrentReconciles",
    "targetgroupbindingMaxExponentialBackoffDelay",
    "targetgroupbindingRequeueDuration",
    "albGatewayMaxConcurrentReconciles",
    "nlbGatewayMaxConcurrentReconciles",
    "globalAcceleratorMaxConcurrentReconciles",
    "globalAcceleratorMaxExponentialBackoffDelay",
    "lbStabilizationMonitorInterval",
    "syncPeriod",
    "watchNamespace",
    "disableIngressClassAnnotation",
    "disableIngressGroupNameAnnotation",
    "tolerateNonExistentBackendService",
    "tolerateNonExistentBackendAction",
    "defaultSSLPolicy",
    "livenessProbe",
    "readinessProbe",
    "env",
    "hostNetwork",
    "dnsPolicy",
    "extraVolumeMounts",
    "extraVolumes",
    "defaultTags",
    "podDisruptionBudget",
    "externalManagedTags",
    "enableEndpointSlices",
    "enableBackendSecurityGroup",
    "enableManageBackendSecurityGroupRules",
    "backendSecurityGroup",
    "disableRestrictedSecurityGroupRules",
    "maxTargetsPerTargetGroup",
    "controllerConfig",
    "certManagement",
    "certDiscovery",
    "objectSelector",
    "serviceMonitor",
    "clusterSecretsPermissions",
    "ingressClassConfig",
    "enableServiceMutatorWebhook",
    "serviceMutatorWebhookConfig",
    "podMutatorWebhookConfig",
    "serviceTargetENISGTags",
    "loadBalancerClass",
    "envSecretName",
    "envFrom",
    "creator",
] as const;

/** Keys the TGB-only values set; `extraValues` may not override them. */
export const ManagedValueKeys = [
    "clusterName",
    "region",
    "vpcId",
    "replicaCount",
    "resources",
    "serviceAccount",
    "createIngressClassResource",
    "ingressClass",
    "ingressClassParams",
    "disableIngressClassAnnotation",
    "enableServiceMutatorWebhook",
    "enablePodReadinessGateInject",
    "controllerConfig",
    "podDisruptionBudget",
    "keepTLSSecret",
] as const;

/**
 * An IngressClass name no Ingress uses: the Ingress reconciler always runs,
 * and with this class (and the class annotation disabled) it adopts nothing.
 */
export const UnusedIngressClass = "shared-alb-tgb-only";

/** IRSA annotation on the controller's service account. */
export const RoleArnAnnotation = "eks.amazonaws.com/role-arn";

/**
 * Feature gates switched off: the Service controller (NLBs for LoadBalancer
 * Services) and the Gateway API controllers. Only gates chart 3.5.0 knows: an
 * unknown gate makes the controller exit at start.
 */
export const DisabledFeatureGates = {
    EnableServiceController: false,
    ALBGatewayAPI: false,
    NLBGatewayAPI: false,
    GatewayListenerSet: false,
} as const;

export const DefaultControllerResources = {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { memory: "256Mi" },
} as const;

export interface ResourceList {
    cpu?: string;
    memory?: string;
}

export interface ControllerValuesInput {
    clusterName: string;
    region: string;
    vpcId: string;
    serviceAccountName: string;
    /** The role for IRSA; no annotation when undefined. */
    roleArn?: string;
    replicas: number;
    resources: { requests?: ResourceList; limits?: ResourceList };
    extraValues?: Record<string, unknown>;
}

/**
 * The chart values for a TargetGroupBinding-only controller. Extra values are
 * merged over them (their keys were validated: never a managed key).
 */
export function controllerHelmValues(input: ControllerValuesInput): Record<string, unknown> {
    const serviceAccount: Record<string, unknown> = {
        create: true,
        name: input.serviceAccountName,
    };
    if (input.roleArn !== undefined) {
        serviceAccount.annotations = { [RoleArnAnnotation]: input.roleArn };
    }
    const values: Record<string, unknown> = {
        clusterName: input.clusterName,
        region: input.region,
        vpcId: input.vpcId,
        replicaCount: input.replicas,
        resources: compactResources(input.resources),
        serviceAccount,
        createIngressClassResource: false,
        ingressClass: UnusedIngressClass,
        ingressClassParams: { create: false },
        disableIngressClassAnnotation: true,
        enableServiceMutatorWebhook: false,
        enablePodReadinessGateInject: true,
        controllerConfig: { featureGates: { ...DisabledFeatureGates } },
        keepTLSSecret: true,
    };
    if (input.replicas > 1) {
        values.podDisruptionBudget = { maxUnavailable: 1 };
    }
    return { ...values, ...(input.extraValues ?? {}) };
}

function compactResources(r: { requests?: ResourceList; limits?: ResourceList }): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const part of ["requests", "limits"] as const) {
        const list = r[part];
        if (list && (list.cpu !== undefined || list.memory !== undefined)) {
            const entry: Record<string, string> = {};
            if (list.cpu !== undefined) {
                entry.cpu = list.cpu;
            }
            if (list.memory !== undefined) {
                entry.memory = list.memory;
            }
            out[part] = entry;
        }
    }
    return out;
}
