/**
 * The package's public API (`import ... from "shared-alb"`): the two
 * components, their arguments and outputs, the closed sets their arguments
 * take, the errors they raise, the network outputs contract and the two
 * ways to pass the deployed allocation. docs/api.md lists every name;
 * tests/consumer/api.test.ts pins the list. Everything else is internal:
 * `shared-alb/internal` (components/internal/index.ts), no compatibility promise.
 */
import { servePlugin } from "./provider/plugin";

export { SharedAlb } from "./shared-alb/shared-alb";
export { DesyncMitigationMode } from "./shared-alb/args";
export type {
    AccessLogsArgs,
    ClusterArgs,
    DeployedAllocationArgs,
    HealthCheckArgs,
    LoadBalancerArgs,
    PreviewArgs,
    ServiceArgs,
    ServiceOverrideArgs,
    SharedAlbArgs,
    StickinessArgs,
    VpcSharingArgs,
} from "./shared-alb/args";
export type { NetworkStackOutputs } from "./shared-alb/outputs";
export { readDeployedAllocation } from "./shared-alb/deployed-read";
export { deployedAllocationOf } from "./shared-alb/deployed";

export { ClusterAttachment } from "./cluster-attachment/cluster-attachment";
export type { AttachmentManifests, BindingOutput, ControllerChartRef, ServiceAccountRef } from "./cluster-attachment/cluster-attachment";
export { IpAddressType, SecurityGroupMode } from "./cluster-attachment/args";
export type {
    BindingArgs,
    ClusterAttachmentArgs,
    ClusterNetworkArgs,
    ClusterTargetGroupArgs,
    ControllerArgs,
    ResourceListArgs,
    ResourceRequirementsArgs,
} from "./cluster-attachment/args";
export type {
    KubernetesObject,
    NetworkingPeer,
    NetworkingPort,
    TargetGroupBindingObject,
    TargetGroupBindingSpec,
} from "./cluster-attachment/manifests";
export type {
    AdmissionPolicyObjects,
    NamedExpression,
    Validation,
    ValidatingAdmissionPolicyBindingSpec,
    ValidatingAdmissionPolicySpec,
} from "./cluster-attachment/admission-policy";
export { fromEksCluster } from "./cluster-attachment/eks";
export type { EksClusterInputs, EksClusterLike } from "./cluster-attachment/eks";

export { TargetProtocol, TargetType } from "./internal/values";
export { ConfigError, ConfigErrors } from "./internal/errors";
export type {
    ClusterOutputs,
    LoadBalancerOutputs,
    NetworkOutputs,
    PreviewOutputs,
    ServiceOutputs,
    TargetGroupOutputs,
    VpcSharingOutputs,
} from "./internal/contract";

// Started as the Pulumi plugin (PulumiPlugin.yaml), the provider serves the
// shipped schema.json and resolves known outputs given to plain inputs.
servePlugin();
