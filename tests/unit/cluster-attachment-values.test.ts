import { expect } from "chai";
import { ChartValueKeys, controllerHelmValues, ManagedValueKeys } from "../../components/cluster-attachment/helm-values";
import { chartRequirements, compareVersions, ControllerChart } from "../../components/cluster-attachment/versions";
import { TargetGroupBindingCrd, TargetGroupBindingCrdVersion } from "../../components/cluster-attachment/crd";

const base = {
    clusterName: "blue",
    region: "eu-west-1",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    serviceAccountName: "aws-load-balancer-controller",
    roleArn: "arn:aws:iam::222222222222:role/shared-alb-lbc-blue",
    replicas: 2,
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
};

describe("cluster-attachment helm values (TargetGroupBinding-only, chart 3.5.0)", () => {
    it("renders the exact TGB-only values", () => {
        expect(controllerHelmValues(base)).to.deep.equal({
            clusterName: "blue",
            region: "eu-west-1",
            vpcId: "vpc-0a1b2c3d4e5f60718",
            replicaCount: 2,
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            serviceAccount: {
                create: true,
                name: "aws-load-balancer-controller",
                annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::222222222222:role/shared-alb-lbc-blue" },
            },
            createIngressClassResource: false,
            ingressClass: "shared-alb-tgb-only",
            ingressClassParams: { create: false },
            disableIngressClassAnnotation: true,
            enableServiceMutatorWebhook: false,
            enablePodReadinessGateInject: true,
            controllerConfig: {
                featureGates: { EnableServiceController: false, ALBGatewayAPI: false, NLBGatewayAPI: false, GatewayListenerSet: false },
            },
            keepTLSSecret: true,
            podDisruptionBudget: { maxUnavailable: 1 },
        });
    });

    it("omits the PodDisruptionBudget with one replica (the chart renders it only above one)", () => {
        const v = controllerHelmValues({ ...base, replicas: 1 });
        expect(v).to.not.have.property("podDisruptionBudget");
        expect(v.replicaCount).to.equal(1);
    });

    it("omits the role annotation when no role is given", () => {
        expect(controllerHelmValues({ ...base, roleArn: undefined }).serviceAccount).to.deep.equal({
            create: true,
            name: "aws-load-balancer-controller",
        });
    });

    it("merges extra values over the base", () => {
        const v = controllerHelmValues({ ...base, extraValues: { logLevel: "debug", tolerations: [{ key: "x", operator: "Exists" }] } });
        expect(v.logLevel).to.equal("debug");
        expect(v.tolerations).to.deep.equal([{ key: "x", operator: "Exists" }]);
    });

    it("uses only top-level keys that chart 3.5.0 has", () => {
        for (const key of Object.keys(controllerHelmValues(base))) {
            expect(ChartValueKeys as readonly string[], key).to.include(key);
        }
        for (const key of ManagedValueKeys) {
            expect(ChartValueKeys as readonly string[], key).to.include(key);
        }
    });
});

describe("cluster-attachment versions", () => {
    it("pins chart 3.5.0 / app v3.5.0 from eks-charts, with the CRD of the same version", () => {
        expect(ControllerChart).to.deep.equal({
            name: "aws-load-balancer-controller",
            repository: "https://aws.github.io/eks-charts",
            version: "3.5.0",
            appVersion: "v3.5.0",
        });
        expect(TargetGroupBindingCrdVersion).to.equal(ControllerChart.version);
    });

    it("requires chart 1.12.0 and 1.13.0 for cross-account, 1.13.0 for shared VPCs, nothing extra otherwise", () => {
        expect(chartRequirements({ crossAccount: true, sharedVpc: true }).map(r => r.version)).to.deep.equal(["1.12.0", "1.13.0"]);
        expect(chartRequirements({ crossAccount: false, sharedVpc: true }).map(r => r.version)).to.deep.equal(["1.13.0"]);
        expect(chartRequirements({ crossAccount: false, sharedVpc: false })).to.deep.equal([]);
    });

    const table: [string, string, number][] = [
        ["1.12.0", "1.13.0", -1],
        ["3.5.0", "3.5.0", 0],
        ["3.10.0", "3.5.0", 1],
        ["1.13.1", "1.13.0", 1],
    ];
    for (const [a, b, sign] of table) {
        it(`compares ${a} and ${b}`, () => expect(Math.sign(compareVersions(a, b))).to.equal(sign));
    }
});

describe("cluster-attachment embedded TargetGroupBinding CRD", () => {
    it("is the v1beta1 storage version with the fields the manifests emit", () => {
        expect(TargetGroupBindingCrd.metadata.name).to.equal("targetgroupbindings.elbv2.k8s.aws");
        const v1beta1 = TargetGroupBindingCrd.spec.versions.find(v => v.name === "v1beta1")!;
        expect(v1beta1.storage).to.equal(true);
        const props = Object.keys(v1beta1.schema.openAPIV3Schema.properties.spec.properties).sort();
        expect(props).to.deep.equal([
            "assumeRoleExternalId",
            "iamRoleArnToAssume",
            "ipAddressType",
            "multiClusterTargetGroup",
            "networking",
            "nodeSelector",
            "serviceRef",
            "targetGroupARN",
            "targetGroupName",
            "targetGroupProtocol",
            "targetType",
            "vpcID",
        ]);
    });
});
