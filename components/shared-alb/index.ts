export * from "./args";
export { SharedAlb, TagKeys, targetPorts } from "./shared-alb";
export { validateSharedAlbArgs, FleetModel, ClusterModel, ServiceModel, LoadBalancerModel, HealthCheckModel, Limits, Defaults } from "./validate";
export { targetGroupName, registrarRoleName, defaultControllerRoleName, defaultExternalId } from "./naming";
export { registrarTrustPolicy, registrarPermissions, RegistrarPolicyName } from "./policy";
export { listenerPlan, serviceAction, ListenerPlan, RulePlan, ServiceAction } from "./rules";
export { routeRequest, forwardedTo, receivers, checkListener, AlbRequest, AlbAnswer, ListenerInput, RuleInput } from "./evaluate";
export { validateVpcSharing, subnetArn, VpcSharingModel, OrganizationArnPattern, OrganizationalUnitArnPattern } from "./vpc-sharing";
