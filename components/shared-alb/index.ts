export * from "./args";
export { SharedAlb, TagKeys, targetPortRanges, TargetPortRange, egressDescription } from "./shared-alb";
export { validateSharedAlbArgs, FleetModel, ClusterModel, ServiceModel, LoadBalancerModel, HealthCheckModel, PreviewModel, Limits, Defaults } from "./validate";
export { targetGroupName, registrarRoleName, defaultControllerRoleName, defaultExternalId } from "./naming";
export { registrarTrustPolicy, registrarPermissions, RegistrarPolicyName } from "./policy";
export { listenerPlan, serviceAction, ruleConditions, ListenerPlan, RulePlan, ServiceAction } from "./rules";
export { routeRequest, forwardedTo, receivers, checkListener, AlbRequest, AlbAnswer, ListenerInput, RuleInput } from "./evaluate";
export { PriorityLayout, Bands, describeLevel, ruleLevel, derivedPriority, derivedPreviewSlot } from "./precedence";
export { validateVpcSharing, subnetArn, VpcSharingModel, OrganizationArnPattern, OrganizationalUnitArnPattern } from "./vpc-sharing";
