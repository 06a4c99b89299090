import { expect } from "chai";
import {
    bindingPorts,
    namespaceManifest,
    namespacePlan,
    readinessGateNamespaceManifest,
    readinessGateNamespaces,
    requiredNamespaces,
    securityGroupRulePlan,
    targetGroupBindingManifest,
} from "../../components/cluster-attachment/manifests";
import { TargetGroupBindingCrd } from "../../components/cluster-attachment/crd";

type Schema = {
    type?: string;
    properties?: Record<string, Schema>;
    items?: Schema;
    required?: string[];
    enum?: unknown[];
    anyOf?: Schema[];
    additionalProperties?: Schema | boolean;
    "x-kubernetes-int-or-string"?: boolean;
};

/** A small structural check against the CRD's OpenAPI schema: types, enums, required, no unknown fields. */
function schemaErrors(value: unknown, schema: Schema, path = "spec"): string[] {
    if (schema["x-kubernetes-int-or-string"]) {
        return typeof value === "string" || Number.isInteger(value) ? [] : [`${path}: not int-or-string`];
    }
    const errors: string[] = [];
    if (schema.enum && !schema.enum.includes(value)) {
        errors.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
    }
    switch (schema.type) {
        case "string":
            if (typeof value !== "string") errors.push(`${path}: not a string`);
            break;
        case "boolean":
            if (typeof value !== "boolean") errors.push(`${path}: not a boolean`);
            break;
        case "integer":
            if (!Number.isInteger(value)) errors.push(`${path}: not an integer`);
            break;
        case "array":
            if (!Array.isArray(value)) {
                errors.push(`${path}: not an array`);
                break;
            }
            value.forEach((v, i) => errors.push(...schemaErrors(v, schema.items!, `${path}[${i}]`)));
            break;
        case "object": {
            if (typeof value !== "object" || value === null) {
                errors.push(`${path}: not an object`);
                break;
            }
            const obj = value as Record<string, unknown>;
            for (const r of schema.required ?? []) if (!(r in obj)) errors.push(`${path}.${r}: required`);
            for (const [k, v] of Object.entries(obj)) {
                const sub = schema.properties?.[k];
                if (sub) errors.push(...schemaErrors(v, sub, `${path}.${k}`));
                else if (typeof schema.additionalProperties === "object")
                    errors.push(...schemaErrors(v, schema.additionalProperties, `${path}.${k}`));
                else errors.push(`${path}.${k}: unknown field (pruned by the API server)`);
            }
        }
    }
    return errors;
}

const v1beta1 = TargetGroupBindingCrd.spec.versions.find(v => v.name === "v1beta1")!;
const specSchema = v1beta1.schema.openAPIV3Schema.properties.spec as unknown as Schema;
const arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/sa-blue-web/0123456789abcdef";
const input = {
    serviceKey: "web",
    name: "shared-alb-web",
    namespace: "shop",
    serviceName: "web",
    servicePort: 80 as number | string,
    targetGroupArn: arn,
    targetGroupProtocol: "HTTP" as const,
    targetType: "ip" as const,
    ipAddressType: "ipv4" as const,
    vpcId: "vpc-0a1b2c3d4e5f60718",
    multiClusterTargetGroup: false,
};

describe("cluster-attachment manifests: TargetGroupBinding", () => {
    it("same account, rules mode: explicit immutable fields, no assume role", () => {
        const tgb = targetGroupBindingManifest(input);
        expect(tgb).to.deep.equal({
            apiVersion: "elbv2.k8s.aws/v1beta1",
            kind: "TargetGroupBinding",
            metadata: {
                name: "shared-alb-web",
                namespace: "shop",
                labels: { "app.kubernetes.io/part-of": "shared-alb", "shared-alb/service": "web" },
            },
            spec: {
                targetGroupARN: arn,
                targetGroupProtocol: "HTTP",
                targetType: "ip",
                ipAddressType: "ipv4",
                vpcID: "vpc-0a1b2c3d4e5f60718",
                serviceRef: { name: "web", port: 80 },
            },
        });
        expect(schemaErrors(tgb.spec, specSchema)).to.deep.equal([]);
    });

    it("cross account, controller mode, multi-cluster, named port: every optional field", () => {
        const tgb = targetGroupBindingManifest({
            ...input,
            servicePort: "http",
            multiClusterTargetGroup: true,
            assumeRole: { roleArn: "arn:aws:iam::111111111111:role/shared-alb-registrar-blue", externalId: "shared-alb-blue-5e0c1d2f" },
            targetGroupProtocol: "HTTPS",
            networking: { albSecurityGroupId: "sg-0a1b2c3d4e5f60aaa", ports: [8080, 8081] },
        });
        expect(tgb.spec).to.deep.equal({
            targetGroupARN: arn,
            targetGroupProtocol: "HTTPS",
            targetType: "ip",
            ipAddressType: "ipv4",
            vpcID: "vpc-0a1b2c3d4e5f60718",
            serviceRef: { name: "web", port: "http" },
            iamRoleArnToAssume: "arn:aws:iam::111111111111:role/shared-alb-registrar-blue",
            assumeRoleExternalId: "shared-alb-blue-5e0c1d2f",
            multiClusterTargetGroup: true,
            networking: {
                ingress: [
                    {
                        from: [{ securityGroup: { groupID: "sg-0a1b2c3d4e5f60aaa" } }],
                        ports: [
                            { port: 8080, protocol: "TCP" },
                            { port: 8081, protocol: "TCP" },
                        ],
                    },
                ],
            },
        });
        expect(schemaErrors(tgb.spec, specSchema)).to.deep.equal([]);
    });

    it("the schema check catches what the API server would prune or refuse", () => {
        expect(
            schemaErrors({ serviceRef: { name: "a", port: 1 }, targetType: "pod", targetGroupProtocol: "GRPC", vpcId: "x" }, specSchema),
        ).to.deep.equal([
            'spec.targetType: "pod" not in ["instance","ip"]',
            'spec.targetGroupProtocol: "GRPC" not in ["HTTP","HTTPS","TCP","TLS","UDP","TCP_UDP","QUIC","TCP_QUIC"]',
            "spec.vpcId: unknown field (pruned by the API server)",
        ]);
    });
});

describe("cluster-attachment manifests: readiness-gate namespaces", () => {
    it("labels each namespace with an ip binding once, sorted", () => {
        expect(
            readinessGateNamespaces([
                { namespace: "shop", targetType: "ip" },
                { namespace: "shop", targetType: "ip" },
                { namespace: "legacy", targetType: "instance" },
                { namespace: "admin", targetType: "ip" },
            ]),
        ).to.deep.equal(["admin", "shop"]);
        expect(readinessGateNamespaceManifest("shop")).to.deep.equal({
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name: "shop", labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } },
        });
    });
});

describe("cluster-attachment manifests: namespace plan", () => {
    const bindings = [
        { namespace: "shop", targetType: "ip" },
        { namespace: "legacy", targetType: "instance" },
        { namespace: "default", targetType: "ip" },
    ];
    const cases: [string, Parameters<typeof namespacePlan>[0], ReturnType<typeof namespacePlan>][] = [
        [
            "existing namespaces: only the label, where ip bindings live",
            { bindings, controllerNamespace: "lbc", create: false, label: true },
            [
                { name: "default", labelled: true, create: false },
                { name: "shop", labelled: true, create: false },
            ],
        ],
        ["existing namespaces without the label: nothing", { bindings, controllerNamespace: "lbc", create: false, label: false }, []],
        [
            "created: every non-system namespace, the controller's included; system ones only labelled",
            {
                bindings,
                controllerNamespace: "lbc",
                create: true,
                label: true,
            },
            [
                { name: "default", labelled: true, create: false },
                { name: "lbc", labelled: false, create: true },
                { name: "legacy", labelled: false, create: true },
                { name: "shop", labelled: true, create: true },
            ],
        ],
        [
            "created, the controller in kube-system, no label",
            { bindings, controllerNamespace: "kube-system", create: true, label: false },
            [
                { name: "legacy", labelled: false, create: true },
                { name: "shop", labelled: false, create: true },
            ],
        ],
    ];
    for (const [what, input, expected] of cases) {
        it(what, () => expect(namespacePlan(input)).to.deep.equal(expected));
    }

    it("requires every binding namespace and a non-system controller namespace, once, sorted", () => {
        expect(
            requiredNamespaces({
                bindings: [{ namespace: "shop" }, { namespace: "api" }, { namespace: "shop" }],
                controllerNamespace: "lbc",
            }),
        ).to.deep.equal(["api", "lbc", "shop"]);
        expect(requiredNamespaces({ bindings: [{ namespace: "kube-public" }], controllerNamespace: "kube-system" })).to.deep.equal([]);
    });

    it("renders an unlabelled namespace without labels", () => {
        expect(namespaceManifest({ name: "legacy", labelled: false, create: true })).to.deep.equal({
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name: "legacy" },
        });
        expect(namespaceManifest({ name: "shop", labelled: true, create: true })).to.deep.equal(readinessGateNamespaceManifest("shop"));
    });
});

describe("cluster-attachment manifests: security-group rule plan", () => {
    it("opens, per binding, the traffic port (ip: target port; instance: NodePort or the NodePort range) and a separate health-check port", () => {
        expect(bindingPorts({ key: "web", targetType: "ip", fromPort: 8080, toPort: 8080 })).to.deep.equal([
            { service: "web", fromPort: 8080, toPort: 8080, reason: "ip: traffic and health checks" },
        ]);
        expect(bindingPorts({ key: "api", targetType: "ip", fromPort: 9000, toPort: 9000, healthCheckPort: 9001 })).to.deep.equal([
            { service: "api", fromPort: 9000, toPort: 9000, reason: "ip: traffic" },
            { service: "api", fromPort: 9001, toPort: 9001, reason: "ip: health checks" },
        ]);
        expect(bindingPorts({ key: "legacy", targetType: "instance", fromPort: 30000, toPort: 32767 })).to.deep.equal([
            { service: "legacy", fromPort: 30000, toPort: 32767, reason: "instance: NodePort range, traffic and health checks" },
        ]);
        expect(bindingPorts({ key: "shop", targetType: "instance", fromPort: 31080, toPort: 31080, healthCheckPort: 10256 })).to.deep.equal(
            [
                { service: "shop", fromPort: 31080, toPort: 31080, reason: "instance: NodePort, traffic" },
                { service: "shop", fromPort: 10256, toPort: 10256, reason: "instance: health checks" },
            ],
        );
    });

    it("one rule per node group and distinct port range, keyed by group and port, described by what it is for", () => {
        const ports = [
            ...bindingPorts({ key: "web", targetType: "ip", fromPort: 8080, toPort: 8080 }),
            ...bindingPorts({ key: "api", targetType: "ip", fromPort: 9000, toPort: 9000 }),
            ...bindingPorts({ key: "admin", targetType: "ip", fromPort: 8080, toPort: 8080 }),
            ...bindingPorts({ key: "legacy", targetType: "instance", fromPort: 30000, toPort: 32767 }),
        ];
        const rule = (group: string, from: number, to: number, services: string[], reasons: string[]) => ({
            key: from === to ? `${group}-${from}` : `${group}-${from}-${to}`,
            nodeSecurityGroupKey: group,
            fromPort: from,
            toPort: to,
            services,
            reasons,
            description: `shared-alb: ALB to ${reasons.join(", ")}`,
        });
        const web = ["admin (ip: traffic and health checks)", "web (ip: traffic and health checks)"];
        expect(securityGroupRulePlan(ports, ["workers", "nodes"])).to.deep.equal([
            rule("nodes", 8080, 8080, ["admin", "web"], web),
            rule("nodes", 9000, 9000, ["api"], ["api (ip: traffic and health checks)"]),
            rule("nodes", 30000, 32767, ["legacy"], ["legacy (instance: NodePort range, traffic and health checks)"]),
            rule("workers", 8080, 8080, ["admin", "web"], web),
            rule("workers", 9000, 9000, ["api"], ["api (ip: traffic and health checks)"]),
            rule("workers", 30000, 32767, ["legacy"], ["legacy (instance: NodePort range, traffic and health checks)"]),
        ]);
    });

    it("keeps descriptions within the 255 characters AWS allows", () => {
        const many = Array.from({ length: 12 }, (_, i) => ({
            service: `service-number-${i}`,
            fromPort: 8080,
            toPort: 8080,
            reason: "ip: traffic and health checks",
        }));
        const [plan] = securityGroupRulePlan(many, ["nodes"]);
        expect(plan.description).to.have.length(255);
        expect(plan.description.endsWith("...")).to.equal(true);
        expect(plan.services).to.have.length(12);
    });
});
