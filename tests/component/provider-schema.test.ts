import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { ClusterAttachment, SharedAlb } from "../../index";
import { schemaPath } from "../../tools/schema";

/**
 * The schema the SDK's component provider derives from the TypeScript
 * sources (what `pulumi package add` generates other languages' SDKs from):
 * both resources, every input and output described, the closed sets as
 * enums, the collections as maps keyed by cluster and service, no free-form
 * value but the pinned ones.
 */

const Root = path.resolve(__dirname, "..", "..");
const Pkg = "shared-alb";
const Token = { sharedAlb: `${Pkg}:index:SharedAlb`, clusterAttachment: `${Pkg}:index:ClusterAttachment` } as const;
const AnyRef = "pulumi.json#/Any";
/** The analyzer compiles the whole program of tsconfig.json: seconds, not milliseconds. */
const AnalyzerTimeout = 180_000;

interface Property {
    type?: string;
    $ref?: string;
    items?: Property;
    additionalProperties?: Property;
    description?: string;
    plain?: boolean;
    enum?: { name: string; value: string | number; description?: string }[];
    properties?: Record<string, Property>;
}

interface Resource {
    isComponent?: boolean;
    description?: string;
    inputProperties: Record<string, Property>;
    requiredInputs?: string[];
    properties: Record<string, Property>;
    required?: string[];
}

interface Schema {
    name: string;
    resources: Record<string, Resource>;
    types: Record<string, Property>;
}

async function schemaOf(components: (typeof SharedAlb | typeof ClusterAttachment)[]): Promise<Schema> {
    const provider = new ComponentProvider({ name: Pkg, dirname: Root, components });
    return JSON.parse(await provider.getSchema()) as Schema;
}

const typeName = (ref: string): string => ref.replace(`#/types/${Pkg}:index:`, "");

/** Every property reachable from a resource, through the types it refers to: `<Owner>.<property>` to the property. */
function reachable(schema: Schema, token: string): Map<string, Property> {
    const out = new Map<string, Property>();
    const seen = new Set<string>();
    const resource = schema.resources[token];
    const owner = token.split(":")[2];
    const visitRef = (ref: string | undefined): void => {
        if (ref === undefined || !ref.startsWith("#/types/") || seen.has(ref)) {
            return;
        }
        seen.add(ref);
        const type = schema.types[ref.slice("#/types/".length)];
        expect(type, ref).to.not.equal(undefined);
        for (const [k, p] of Object.entries(type.properties ?? {})) {
            out.set(`${typeName(ref)}.${k}`, p);
            visitProperty(p);
        }
    };
    const visitProperty = (p: Property): void => {
        visitRef(p.$ref);
        if (p.items) {
            visitProperty(p.items);
        }
        if (p.additionalProperties) {
            visitProperty(p.additionalProperties);
        }
    };
    for (const [k, p] of Object.entries(resource.inputProperties)) {
        out.set(`${owner}Args.${k}`, p);
        visitProperty(p);
    }
    for (const [k, p] of Object.entries(resource.properties)) {
        out.set(`${owner}.${k}`, p);
        visitProperty(p);
    }
    return out;
}

/** `<Owner>.<property>` of every property that is, or holds, a free-form value. */
function freeForm(props: Map<string, Property>): string[] {
    return [...props]
        .filter(([, p]) => JSON.stringify(p).includes(AnyRef))
        .map(([k]) => k)
        .sort();
}

const enumValues = (schema: Schema, name: string): (string | number)[] | undefined =>
    schema.types[`${Pkg}:index:${name}`]?.enum?.map(e => e.value);

/** The ClusterAttachment part of the schema, the same with or without SharedAlb beside it. */
function clusterAttachmentCases(get: () => Schema): void {
    const resource = (): Resource => get().resources[Token.clusterAttachment];

    it("is a component resource, described", () => {
        expect(resource().isComponent).to.equal(true);
        expect(resource().description).to.match(/^Attaches one EKS cluster to the pet ALB's target groups/);
    });

    it("has every input and output described, through every type it uses", () => {
        const props = reachable(get(), Token.clusterAttachment);
        const undocumented = [...props].filter(([, p]) => !(p.description ?? "").trim()).map(([k]) => k);
        expect(undocumented).to.deep.equal([]);
        expect(Object.keys(resource().inputProperties).sort()).to.deep.equal([
            "albSecurityGroupId",
            "applyToCluster",
            "bindingAdmissionPolicy",
            "bindings",
            "cluster",
            "clusterName",
            "controller",
            "createNamespaces",
            "labelNamespaces",
            "manageCrd",
            "multiClusterTargetGroup",
            "nodeSecurityGroupIds",
            "oidcIssuer",
            "oidcProviderArn",
            "region",
            "retainNamespaces",
            "securityGroupMode",
            "sharedVpc",
            "tags",
            "vpcId",
        ]);
        expect(resource().requiredInputs).to.have.members([
            "albSecurityGroupId",
            "bindings",
            "cluster",
            "clusterName",
            "oidcIssuer",
            "oidcProviderArn",
            "vpcId",
        ]);
        expect(Object.keys(resource().properties).sort()).to.deep.equal([
            "bindings",
            "controllerRoleArn",
            "controllerRoleName",
            "helmValues",
            "releaseName",
            "releaseNamespace",
            "securityGroupRuleIds",
            "serviceAccount",
        ]);
    });

    it("takes the cluster facts as inputs (other resources' outputs), and the keys that decide which resources exist as plain values", () => {
        const inputs = resource().inputProperties;
        const facts = ["albSecurityGroupId", "clusterName", "oidcIssuer", "oidcProviderArn", "region", "vpcId"];
        expect(facts.filter(k => inputs[k].plain === true)).to.deep.equal([]);
        expect(
            Object.keys(inputs).filter(k => !facts.includes(k) && k !== "nodeSecurityGroupIds" && inputs[k].plain !== true),
        ).to.deep.equal([]);
        // The map's keys decide the rules; its values (security group IDs) may be outputs.
        expect(inputs.nodeSecurityGroupIds).to.deep.include({ type: "object", plain: true, additionalProperties: { type: "string" } });
        const tg = get().types[`${Pkg}:index:ClusterTargetGroupArgs`].properties!;
        expect(tg.arn.plain).to.equal(undefined);
        expect(tg.port.plain).to.equal(true);
        expect(get().types[`${Pkg}:index:ClusterNetworkArgs`].properties!.externalId.plain).to.equal(undefined);
        const controller = get().types[`${Pkg}:index:ControllerArgs`].properties!;
        expect(
            Object.keys(controller)
                .filter(k => controller[k].plain !== true)
                .sort(),
        ).to.deep.equal(["additionalPolicyJson", "roleArn"]);
    });

    it("gives the closed sets as enums", () => {
        expect(enumValues(get(), "SecurityGroupMode")).to.deep.equal(["rules", "controller", "none"]);
        expect(enumValues(get(), "IpAddressType")).to.deep.equal(["ipv4", "ipv6"]);
        expect(enumValues(get(), "TargetProtocol")).to.deep.equal(["HTTP", "HTTPS"]);
        expect(enumValues(get(), "TargetType")).to.deep.equal(["ip", "instance"]);
        expect(resource().inputProperties.securityGroupMode.$ref).to.equal(`#/types/${Pkg}:index:SecurityGroupMode`);
        const types = get().types;
        expect(types[`${Pkg}:index:BindingArgs`].properties!.ipAddressType.$ref).to.equal(`#/types/${Pkg}:index:IpAddressType`);
        expect(types[`${Pkg}:index:ClusterTargetGroupArgs`].properties!.protocol.$ref).to.equal(`#/types/${Pkg}:index:TargetProtocol`);
        expect(types[`${Pkg}:index:ClusterTargetGroupArgs`].properties!.targetType.$ref).to.equal(`#/types/${Pkg}:index:TargetType`);
        expect(types[`${Pkg}:index:BindingOutput`].properties!.targetType.$ref).to.equal(`#/types/${Pkg}:index:TargetType`);
        // Every enum member is described.
        for (const name of ["SecurityGroupMode", "IpAddressType", "TargetProtocol", "TargetType"]) {
            expect(
                types[`${Pkg}:index:${name}`].enum!.filter(e => !e.description).map(e => e.name),
                name,
            ).to.deep.equal([]);
        }
    });

    it("keys the collections by service and by name: maps, not lists", () => {
        const inputs = resource().inputProperties;
        expect(inputs.bindings.additionalProperties).to.deep.equal({ $ref: `#/types/${Pkg}:index:BindingArgs`, plain: true });
        expect(get().types[`${Pkg}:index:ClusterNetworkArgs`].properties!.targetGroups.additionalProperties).to.deep.equal({
            $ref: `#/types/${Pkg}:index:ClusterTargetGroupArgs`,
            plain: true,
        });
        expect(inputs.tags.additionalProperties).to.deep.equal({ type: "string", plain: true });
        const outputs = resource().properties;
        expect(outputs.bindings.additionalProperties).to.deep.equal({ $ref: `#/types/${Pkg}:index:BindingOutput` });
        expect(outputs.securityGroupRuleIds.additionalProperties).to.deep.equal({ type: "string" });
        // A binding's Service port: by number or by name, two fields (the schema has no unions).
        const binding = get().types[`${Pkg}:index:BindingArgs`].properties!;
        expect([binding.port.type, binding.portName.type]).to.deep.equal(["number", "string"]);
    });

    it("has no free-form value but the Helm chart values", () => {
        expect(freeForm(reachable(get(), Token.clusterAttachment))).to.deep.equal([
            "ClusterAttachment.helmValues",
            "ControllerArgs.extraValues",
        ]);
    });
}

describe("component provider schema: the package as a plugin serves it (SharedAlb and ClusterAttachment)", function () {
    this.timeout(AnalyzerTimeout);
    let schema: Schema;
    before(async () => {
        schema = await schemaOf([SharedAlb, ClusterAttachment]);
    });

    it("is the schema.json the package ships, which the plugin serves (npm run schema writes it)", () => {
        expect(fs.readFileSync(schemaPath, "utf8"), "schema.json differs from the sources: npm run schema").to.equal(
            `${JSON.stringify(schema, null, 2)}\n`,
        );
    });

    it("is the shared-alb package with both resources, as components", () => {
        expect(schema.name).to.equal(Pkg);
        expect(Object.keys(schema.resources).sort()).to.deep.equal([Token.clusterAttachment, Token.sharedAlb]);
        expect(schema.resources[Token.sharedAlb].isComponent).to.equal(true);
        expect(schema.resources[Token.sharedAlb].description).to.be.a("string").and.not.equal("");
    });

    it("SharedAlb: every input and output described, through every type it uses", () => {
        const props = reachable(schema, Token.sharedAlb);
        expect([...props].filter(([, p]) => !(p.description ?? "").trim()).map(([k]) => k)).to.deep.equal([]);
        expect(Object.keys(schema.resources[Token.sharedAlb].properties)).to.not.deep.equal([]);
    });

    it("SharedAlb: clusters and services are maps keyed by cluster key and service name; protocol and target type are enums", () => {
        const inputs = schema.resources[Token.sharedAlb].inputProperties;
        expect(inputs.clusters.additionalProperties?.$ref).to.equal(`#/types/${Pkg}:index:ClusterArgs`);
        expect(inputs.services.additionalProperties?.$ref).to.equal(`#/types/${Pkg}:index:ServiceArgs`);
        const service = schema.types[`${Pkg}:index:ServiceArgs`].properties!;
        expect(service.protocol.$ref).to.equal(`#/types/${Pkg}:index:TargetProtocol`);
        expect(service.targetType.$ref).to.equal(`#/types/${Pkg}:index:TargetType`);
        expect(service.weights.additionalProperties?.type).to.equal("number");
        expect([service.shadows.type, service.shadows.items?.type, service.shadows.plain]).to.deep.equal(["array", "string", true]);
        // The deployed allocation decides rule priorities before anything is registered: plain maps of numbers.
        expect(inputs.deployedAllocation.$ref).to.equal(`#/types/${Pkg}:index:DeployedAllocationArgs`);
        const deployed = schema.types[`${Pkg}:index:DeployedAllocationArgs`].properties!;
        expect([deployed.priorities.additionalProperties?.type, deployed.previewSlots.additionalProperties?.type]).to.deep.equal([
            "number",
            "number",
        ]);
        expect([inputs.deployedAllocation.plain, deployed.priorities.plain]).to.deep.equal([true, true]);
    });

    it("SharedAlb: the VPC, subnets, CIDRs, certificates and tag values are inputs; cluster keys, service names and accountId plain", () => {
        const inputs = schema.resources[Token.sharedAlb].inputProperties;
        expect(Object.keys(inputs).sort()).to.deep.equal([
            "accountId",
            "clusters",
            "defaultService",
            "deployedAllocation",
            "loadBalancer",
            "preview",
            "region",
            "services",
            "subnetIds",
            "tags",
            "vpcCidr",
            "vpcCidrs",
            "vpcId",
            "vpcSharing",
        ]);
        expect([inputs.vpcId.plain, inputs.vpcCidr.plain, inputs.region.plain]).to.deep.equal([undefined, undefined, undefined]);
        expect([inputs.subnetIds.items?.plain, inputs.vpcCidrs.items?.plain, inputs.tags.additionalProperties?.plain]).to.deep.equal([
            undefined,
            undefined,
            undefined,
        ]);
        expect([inputs.accountId.plain, inputs.clusters.plain, inputs.services.plain]).to.deep.equal([true, true, true]);
        const lb = schema.types[`${Pkg}:index:LoadBalancerArgs`].properties!;
        expect(lb.certificateArns.items?.plain).to.equal(undefined);
    });

    it("SharedAlb: the load balancer's, access logs' and VPC sharing's arguments, the web ACL an input, the desync mode an enum", () => {
        const types = schema.types;
        const lb = types[`${Pkg}:index:LoadBalancerArgs`].properties!;
        expect(Object.keys(lb).sort()).to.deep.equal([
            "accessLogs",
            "allowPlainHttp",
            "certificateArns",
            "desyncMitigationMode",
            "existingArn",
            "existingListenerArn",
            "existingSecurityGroupId",
            "idleTimeout",
            "ingressCidrs",
            "ingressPrefixListIds",
            "internal",
            "name",
            "protect",
            "sslPolicy",
            "webAclArn",
        ]);
        // A web ACL created in the same program may be passed as it is; the others decide resources and are plain (the certificate list's items aside).
        expect(Object.keys(lb).filter(k => lb[k].plain !== true)).to.deep.equal(["webAclArn"]);
        expect(lb.webAclArn.type).to.equal("string");
        expect(lb.desyncMitigationMode.$ref).to.equal(`#/types/${Pkg}:index:DesyncMitigationMode`);
        expect(enumValues(schema, "DesyncMitigationMode")).to.deep.equal(["monitor", "defensive", "strictest"]);
        expect(types[`${Pkg}:index:DesyncMitigationMode`].enum!.filter(e => !e.description).map(e => e.name)).to.deep.equal([]);
        expect(Object.keys(types[`${Pkg}:index:AccessLogsArgs`].properties!).sort()).to.deep.equal(["bucket", "enabled", "prefix"]);
        expect(Object.keys(types[`${Pkg}:index:VpcSharingArgs`].properties!).sort()).to.deep.equal([
            "allowOrganizationPrincipals",
            "name",
            "principals",
            "subnetIds",
        ]);
    });

    it("SharedAlb: the secrets (the preview token, a cluster's external ID) are inputs, so a secret Output can carry them; the source CIDRs plain", () => {
        const preview = schema.types[`${Pkg}:index:PreviewArgs`].properties!;
        expect(Object.keys(preview).sort()).to.deep.equal(["header", "sourceCidrs", "token"]);
        expect([preview.token.type, preview.token.plain]).to.deep.equal(["string", undefined]);
        expect([preview.sourceCidrs.type, preview.sourceCidrs.items?.type, preview.sourceCidrs.plain]).to.deep.equal([
            "array",
            "string",
            true,
        ]);
        const cluster = schema.types[`${Pkg}:index:ClusterArgs`].properties!;
        expect([cluster.externalId.type, cluster.externalId.plain]).to.deep.equal(["string", undefined]);
        expect(cluster.accountId.plain).to.equal(true);
    });

    it("SharedAlb: outputs are ARNs and names, maps keyed by cluster then service, and the contract", () => {
        const outputs = schema.resources[Token.sharedAlb].properties;
        expect(Object.keys(outputs).sort()).to.deep.equal([
            "clusters",
            "dnsName",
            "listenerArns",
            "loadBalancerArn",
            "outputs",
            "registrarRoleArns",
            "resourceShareArn",
            "ruleArns",
            "securityGroupId",
            "targetGroupArns",
            "targetGroupNames",
            "zoneId",
        ]);
        // The contract's cluster entries with their external IDs (a secret at run time).
        expect(outputs.clusters.additionalProperties?.$ref).to.equal(`#/types/${Pkg}:index:ClusterOutputs`);
        for (const nested of ["targetGroupArns", "targetGroupNames"]) {
            expect(outputs[nested].additionalProperties?.additionalProperties?.type, nested).to.equal("string");
        }
        for (const flat of ["listenerArns", "ruleArns", "registrarRoleArns"]) {
            expect(outputs[flat].additionalProperties?.type, flat).to.equal("string");
        }
        expect(outputs.outputs.$ref).to.equal(`#/types/${Pkg}:index:NetworkOutputs`);
        expect(schema.resources[Token.sharedAlb].required?.slice().sort()).to.deep.equal([
            "clusters",
            "dnsName",
            "listenerArns",
            "loadBalancerArn",
            "outputs",
            "registrarRoleArns",
            "ruleArns",
            "securityGroupId",
            "targetGroupArns",
            "targetGroupNames",
            "zoneId",
        ]);
    });

    it("SharedAlb: every argument examples/yaml passes is an input of the schema, by the same path", () => {
        const example = parse(fs.readFileSync(path.join(Root, "examples", "yaml", "Pulumi.yaml"), "utf8")) as {
            resources: Record<string, { properties: Record<string, unknown> }>;
        };
        const missing: string[] = [];
        const walk = (value: unknown, prop: Property | undefined, at: string): void => {
            if (prop === undefined) {
                missing.push(at);
                return;
            }
            const type = prop.$ref?.startsWith("#/types/") ? schema.types[prop.$ref.slice("#/types/".length)] : undefined;
            if (type?.properties && typeof value === "object" && value !== null) {
                for (const [k, v] of Object.entries(value)) {
                    walk(v, type.properties[k], `${at}.${k}`);
                }
            } else if (prop.additionalProperties && typeof value === "object" && value !== null) {
                for (const [k, v] of Object.entries(value)) {
                    walk(v, prop.additionalProperties, `${at}.${k}`);
                }
            }
        };
        for (const [k, v] of Object.entries(example.resources["shared-alb"].properties)) {
            walk(v, schema.resources[Token.sharedAlb].inputProperties[k], k);
        }
        expect(missing).to.deep.equal([]);
    });

    it("SharedAlb: no free-form value", () => {
        expect(freeForm(reachable(schema, Token.sharedAlb))).to.deep.equal([]);
    });

    clusterAttachmentCases(() => schema);
});
