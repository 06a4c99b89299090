/**
 * The internal entry (`shared-alb/internal`): what this repository's CLI
 * (cli/) and stack programs (stacks/) use beyond the public API, in one
 * place, so that the modules behind it can change without touching them.
 * No compatibility promise: a release may change any of it (docs/api.md).
 *
 * It loads no Pulumi SDK (a pure module: the lint keeps it so, and
 * tests/consumer/api.test.ts checks what it loads), so `shared-alb doctor` never
 * loads one. That is also why it re-exports the few public names SDK-free
 * code needs (`ConfigError`, `SecurityGroupMode`, the contract and argument
 * types), the same objects as the main entry's: that code must not load the
 * main entry, which loads the components. The provider SDK facades and what
 * needs the Pulumi runtime are in ./sdk.
 */

// The public names SDK-free code uses (identical to the main entry's).
export { ConfigError, ConfigErrors } from "./errors";
export { SecurityGroupMode } from "../cluster-attachment/args";
export type { BindingArgs, ClusterAttachmentArgs, ControllerArgs } from "../cluster-attachment/args";
export type { ClusterOutputs, NetworkOutputs, ServiceOutputs, TargetGroupOutputs } from "./contract";

// Config and document reading: typed readers, problems collected by path, JSON documents.
export { Problems } from "./errors";
export {
    check,
    trueOrFalse,
    integer,
    isRecord,
    join,
    list,
    map,
    nonEmpty,
    nullAsAbsent,
    object,
    objectFields,
    oneOf,
    optional,
    orThrow,
    text,
    withDefault,
} from "./read";
export type { Reader } from "./read";
export { DocumentError, DocumentLimits, PulumiSignatureKey, dataMap, hasOwn, own, parseJsonData, refuseReservedKeys, toData } from "./data";

// Identifiers: ARNs, account IDs, tags and the values the config takes.
export {
    AccountIdPattern,
    ArnAllowed,
    ExternalIdAllowed,
    ExternalIdPattern,
    ListenerArnPattern,
    LoadBalancerArnPattern,
    OidcProviderArnPattern,
    TargetGroupArnPattern,
    accountId,
    accountRootArn,
    arn,
    arnPartition,
    oidcProviderArn,
    parseRoleArn,
    partitionOf,
    roleArn,
    securityGroupArn,
    tagsUpTo,
    targetGroupArn,
} from "./arn";
export {
    AllowedText,
    CidrPattern,
    ClusterNamePattern,
    KeyPattern,
    NodePortRange,
    RegionPattern,
    SecurityGroupIdPattern,
    VpcIdPattern,
    securityGroupId,
    subnetId,
} from "./values";
export { albTargetPorts } from "./target-ports";
export { HiddenSecret, shownExternalId } from "./contract";

// The checks the stacks run before registering anything: the credentials' account, the cluster stack's config.
export { NetworkCredentialsFix, checkCredentialsAccount } from "./account";
export { bindingArgs } from "../cluster-attachment/validate";
export { planSharedAlbArgs } from "../shared-alb/validate";
export type { FleetPlan } from "../shared-alb/model";
export type { AttachmentPlan } from "../cluster-attachment/model";
export { MaxCrossAccountClusterName } from "../cluster-attachment/model";
export type { ClusterInputArgs } from "../cluster-attachment/cluster-inputs";
export { ForbiddenActionPatterns, controllerArgs } from "../cluster-attachment/validate-controller";
export { SecurityGroupModes } from "../cluster-attachment/args";
export { AdmissionPolicyMinKubernetes, AdmissionPolicyNeeds, servesAdmissionPolicy } from "../cluster-attachment/admission-policy";
export { requiredNamespaces } from "../cluster-attachment/manifests";

// The IAM documents the components write, for the doctor to compare live roles with.
export {
    AdditionalPolicyName,
    ControllerPolicyName,
    IrsaAudience,
    controllerPermissionsPolicy,
    normalizeIssuer,
} from "../cluster-attachment/policy";
export { RegistrarPolicyName, registrarPermissions } from "../shared-alb/policy";
export type { PolicyDocument } from "./iam";

// The listener evaluator and its witness requests, for the plan's routing checks and comparisons.
export { checkListener, conditionsMatch, routeRequest } from "../shared-alb/evaluate";
export type { ActionInput, ConditionInput, ListenerInput, RuleInput } from "../shared-alb/evaluate";
export { matchesPlainRequests, overlapRequests, ruleValues, witnessRequests } from "../shared-alb/witness";
export type { RuleValues, WitnessRequest } from "../shared-alb/witness";
