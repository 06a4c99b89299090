/**
 * Kinds of values both components take (IDs, regions, ports, keys,
 * Kubernetes names) and the closed sets they share, as patterns, the words
 * that say what is allowed, and readers. Pure: no Pulumi runtime.
 */
import { Reader, integer, oneOf, text } from "./read";

/** The values of a closed set declared `as const` (in declaration order, as messages list them). */
export function membersOf<T extends string>(set: Readonly<Record<string, T>>): readonly T[] {
    return Object.values(set);
}

/**
 * How a target group's targets are registered: `ip` registers pod IPs
 * (needed across accounts), `instance` registers nodes on a NodePort.
 */
export const TargetType = {
    /** Pod IPs: the ALB reaches pods directly (needed across accounts). */
    Ip: "ip",
    /** Nodes, on the Service's NodePort. */
    Instance: "instance",
} as const;
export type TargetType = (typeof TargetType)[keyof typeof TargetType];
export const TargetTypes = membersOf(TargetType);

/** The protocol from the ALB to a target group's targets. */
export const TargetProtocol = {
    /** Plain HTTP to the targets. */
    Http: "HTTP",
    /** HTTPS to the targets (the ALB does not verify their certificates). */
    Https: "HTTPS",
} as const;
export type TargetProtocol = (typeof TargetProtocol)[keyof typeof TargetProtocol];
export const TargetProtocols = membersOf(TargetProtocol);

/** The Kubernetes NodePort range (fixed on EKS): where `instance` targets are registered and health-checked. */
export const NodePortRange = { from: 30000, to: 32767 } as const;

export const VpcIdPattern = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const SubnetIdPattern = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const SecurityGroupIdPattern = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const PrefixListIdPattern = /^pl-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const RegionPattern = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** An IAM role name: 1..64 of letters, digits and `+=,.@_-`. */
export const RoleNamePattern = /^[\w+=,.@-]{1,64}$/;
/** DNS-1123 label, as Kubernetes requires for namespaces and most names. */
export const Dns1123LabelPattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** DNS-1123 subdomain, as Kubernetes requires for object names. */
export const Dns1123SubdomainPattern = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An IANA service port name, as Kubernetes accepts for named ports. */
export const PortNamePattern = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?=[a-z0-9]))*$/;
/** A key usable in resource names: lower-case letters, digits and inner hyphens. */
export const KeyPattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** An IPv4 CIDR. */
export const CidrPattern = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
/** EKS cluster names: 1..100, starting alphanumeric. */
export const ClusterNamePattern = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

export const AllowedText = {
    vpcId: 'expected a VPC ID such as "vpc-0123456789abcdef0"',
    subnetId: 'expected a subnet ID such as "subnet-0123456789abcdef0"',
    securityGroupId: 'expected a security group ID such as "sg-0123456789abcdef0"',
    region: 'expected an AWS region such as "eu-west-1"',
    port: "expected an integer port from 1 to 65535",
    key: "expected lower-case letters, digits and inner hyphens (at most 20 characters)",
    dns1123Label: "expected a DNS-1123 label: at most 63 lower-case letters, digits and inner hyphens",
    dns1123Subdomain:
        "expected a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' and '.', starting and ending alphanumeric",
    roleName: "expected an IAM role name: 1 to 64 letters, digits and +=,.@_-",
    clusterName: "expected an EKS cluster name: 1 to 100 letters, digits, '-' and '_', starting alphanumeric",
} as const;

export const vpcId = text(VpcIdPattern, AllowedText.vpcId);
export const subnetId = text(SubnetIdPattern, AllowedText.subnetId);
export const securityGroupId = text(SecurityGroupIdPattern, AllowedText.securityGroupId);
export const region = text(RegionPattern, AllowedText.region);
export const roleName = text(RoleNamePattern, AllowedText.roleName);
export const dns1123Label = text(Dns1123LabelPattern, AllowedText.dns1123Label);
export const dns1123Subdomain = text(Dns1123SubdomainPattern, AllowedText.dns1123Subdomain);
/** An integer port, 1..65535: `expected an integer port from 1 to 65535`. */
export const port = integer(1, 65535, "an integer port");
/** A NodePort, 30000..32767. */
export const nodePort = integer(NodePortRange.from, NodePortRange.to, "a NodePort");
export const targetType: Reader<TargetType> = oneOf(TargetTypes);
export const targetProtocol: Reader<TargetProtocol> = oneOf(TargetProtocols);
