import { expect } from "chai";
import {
    namespaceManifest, namespacePlan, readinessGateNamespaceManifest, readinessGateNamespaces, requiredNamespaces, securityGroupRulePlan,
    targetGroupBindingManifest,
} from "../../components/cluster-attachment/manifests";
import { TargetGroupBindingCrd } from "../../components/cluster-attachment/crd";

type Schema = { type?: string; properties?: Record<string, Schema>; items?: Schema; required?: string[]; enum?: unknown[]; anyOf?: Schema[]; additionalProperties?: Schema | boolean; "x-kubernetes-int-or-string"?: boolean };

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
        case "string": if (typeof value !== "string") errors.push(`${path}: not a string`); break;
        case "boolean": if (typeof value !== "boolean") errors.push(`${path}: not a boolean`); break;
        case "integer": if (!Number.isInteger(value)) errors.push(`${path}: not an integer`); break;
        case "array":
            if (!Array.isArray(value)) { errors.push(`${path}: not an array`); break; }
            value.forEach((v, i) => errors.push(...schemaErrors(v, schema.items!, `${path}[${i}]`)));
            break;
        case "object": {
            if (typeof value !== "object" || value === null) { errors.push(`${path}: not an object`); break; }
            const obj = value as Record<string, unknown>;
            for (const r of schema.required ?? []) if (!(r in obj)) errors.push(`${path}.${r}: required`);
            for (const [k, v] of Object.entries(obj)) {
                const sub = schema.properties?.[k];
                if (sub) errors.push(...schemaErrors(v, sub, `${path}.${k}`));
                else if (typeof schema.additionalProperties === "object") errors.push(...schemaErrors(v, schema.additionalProperties, `${path}.${k}`));
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
    serviceKey: "web", name: "shared-alb-web", namespace: "shop", serviceName: "web", servicePort: 80 as number | string,
    targetGroupArn: arn, targetType: "ip" as const, ipAddressType: "ipv4" as const, vpcId: "vpc-0a1b2c3d4e5f60718",
    multiClusterTargetGroup: false,
};

describe("cluster-attachment manifests: TargetGroupBinding", () => {
    it("same account, rules mode: explicit immutable fields, no assume role", () => {
        const tgb = targetGroupBindingManifest(input);
        expect(tgb).to.deep.equal({
            apiVersion: "elbv2.k8s.aws/v1beta1",
            kind: "TargetGroupBinding",
            metadata: { name: "shared-alb-web", namespace: "shop", labels: { "app.kubernetes.io/part-of": "shared-alb", "shared-alb/service": "web" } },
            spec: {
                targetGroupARN: arn, targetType: "ip", ipAddressType: "ipv4", vpcID: "vpc-0a1b2c3d4e5f60718",
                serviceRef: { name: "web", port: 80 },
            },
        });
        expect(schemaErrors(tgb.spec, specSchema)).to.deep.equal([]);
    });

    it("cross account, controller mode, multi-cluster, named port: every optional field", () => {
        const tgb = targetGroupBindingManifest({
            ...input, servicePort: "http", multiClusterTargetGroup: true,
            assumeRole: { roleArn: "arn:aws:iam::111111111111:role/shared-alb-registrar-blue", externalId: "shared-alb-blue-5e0c1d2f" },
            networking: { albSecurityGroupId: "sg-0a1b2c3d4e5f60aaa", port: 8080 },
        });
        expect(tgb.spec).to.deep.equal({
            targetGroupARN: arn, targetType: "ip", ipAddressType: "ipv4", vpcID: "vpc-0a1b2c3d4e5f60718",
            serviceRef: { name: "web", port: "http" },
            iamRoleArnToAssume: "arn:aws:iam::111111111111:role/shared-alb-registrar-blue",
            assumeRoleExternalId: "shared-alb-blue-5e0c1d2f",
            multiClusterTargetGroup: true,
            networking: { ingress: [{ from: [{ securityGroup: { groupID: "sg-0a1b2c3d4e5f60aaa" } }], ports: [{ port: 8080, protocol: "TCP" }] }] },
        });
        expect(schemaErrors(tgb.spec, specSchema)).to.deep.equal([]);
    });

    it("the schema check catches what the API server would prune or refuse", () => {
        expect(schemaErrors({ serviceRef: { name: "a", port: 1 }, targetType: "pod", vpcId: "x" }, specSchema)).to.deep.equal([
            "spec.targetType: \"pod\" not in [\"instance\",\"ip\"]",
            "spec.vpcId: unknown field (pruned by the API server)",
        ]);
    });
});

describe("cluster-attachment manifests: readiness-gate namespaces", () => {
    it("labels each namespace with an ip binding once, sorted", () => {
        expect(readinessGateNamespaces([
            { namespace: "shop", targetType: "ip" }, { namespace: "shop", targetType: "ip" },
            { namespace: "legacy", targetType: "instance" }, { namespace: "admin", targetType: "ip" },
        ])).to.deep.equal(["admin", "shop"]);
        expect(readinessGateNamespaceManifest("shop")).to.deep.equal({
            apiVersion: "v1", kind: "Namespace",
            metadata: { name: "shop", labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } },
        });
    });
});

describe("cluster-attachment manifests: namespace plan", () => {
    const bindings = [
        { namespace: "shop", targetType: "ip" }, { namespace: "legacy", targetType: "instance" }, { namespace: "default", targetType: "ip" },
    ];
    const cases: [string, Parameters<typeof namespacePlan>[0], ReturnType<typeof namespacePlan>][] = [
        ["existing namespaces: only the label, where ip bindings live", { bindings, controllerNamespace: "lbc", create: false, label: true }, [
            { name: "default", labelled: true, create: false },
            { name: "shop", labelled: true, create: false },
        ]],
        ["existing namespaces without the label: nothing", { bindings, controllerNamespace: "lbc", create: false, label: false }, []],
        ["created: every non-system namespace, the controller's included; system ones only labelled", {
            bindings, controllerNamespace: "lbc", create: true, label: true,
        }, [
            { name: "default", labelled: true, create: false },
            { name: "lbc", labelled: false, create: true },
            { name: "legacy", labelled: false, create: true },
            { name: "shop", labelled: true, create: true },
        ]],
        ["created, the controller in kube-system, no label", { bindings, controllerNamespace: "kube-system", create: true, label: false }, [
            { name: "legacy", labelled: false, create: true },
            { name: "shop", labelled: false, create: true },
        ]],
    ];
    for (const [what, input, expected] of cases) {
        it(what, () => expect(namespacePlan(input)).to.deep.equal(expected));
    }

    it("requires every binding namespace and a non-system controller namespace, once, sorted", () => {
        expect(requiredNamespaces({ bindings: [{ namespace: "shop" }, { namespace: "api" }, { namespace: "shop" }], controllerNamespace: "lbc" }))
            .to.deep.equal(["api", "lbc", "shop"]);
        expect(requiredNamespaces({ bindings: [{ namespace: "kube-public" }], controllerNamespace: "kube-system" })).to.deep.equal([]);
    });

    it("renders an unlabelled namespace without labels", () => {
        expect(namespaceManifest({ name: "legacy", labelled: false, create: true })).to.deep.equal({ apiVersion: "v1", kind: "Namespace", metadata: { name: "legacy" } });
        expect(namespaceManifest({ name: "shop", labelled: true, create: true })).to.deep.equal(readinessGateNamespaceManifest("shop"));
    });
});

describe("cluster-attachment manifests: security-group rule plan", () => {
    it("one rule per node group and distinct port range, keyed by group and port", () => {
        expect(securityGroupRulePlan([
            { service: "web", fromPort: 8080, toPort: 8080 },
            { service: "api", fromPort: 9000, toPort: 9000 },
            { service: "admin", fromPort: 8080, toPort: 8080 },
            { service: "legacy", fromPort: 30000, toPort: 32767 },
        ], ["workers", "nodes"])).to.deep.equal([
            { key: "nodes-8080", nodeSecurityGroupKey: "nodes", fromPort: 8080, toPort: 8080, services: ["admin", "web"] },
            { key: "nodes-9000", nodeSecurityGroupKey: "nodes", fromPort: 9000, toPort: 9000, services: ["api"] },
            { key: "nodes-30000-32767", nodeSecurityGroupKey: "nodes", fromPort: 30000, toPort: 32767, services: ["legacy"] },
            { key: "workers-8080", nodeSecurityGroupKey: "workers", fromPort: 8080, toPort: 8080, services: ["admin", "web"] },
            { key: "workers-9000", nodeSecurityGroupKey: "workers", fromPort: 9000, toPort: 9000, services: ["api"] },
            { key: "workers-30000-32767", nodeSecurityGroupKey: "workers", fromPort: 30000, toPort: 32767, services: ["legacy"] },
        ]);
    });
});
