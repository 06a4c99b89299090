import { expect } from "chai";
import * as http from "http";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { NetworkOutputs } from "../../components/internal/contract";
import { Report } from "../../cli/doctor/report";
import { buildFleet, testClients } from "./fleet";
import { Moto, motoEnv, startMoto } from "./moto";
import { runDoctor } from "./run";

/** What the stand-in API server serves. */
interface FakeCluster {
    deployment?: Record<string, unknown>;
    bindings?: Array<Record<string, unknown>>;
    services: Record<string, Record<string, unknown>>;
    /** Paths answered 403 Forbidden, as an API server does for a request RBAC denies. */
    forbidden?: string[];
}

/**
 * A local HTTP server on 127.0.0.1 standing in for the Kubernetes API server:
 * it serves only the endpoints the doctor reads (the controller deployment,
 * the TargetGroupBinding list, Services) and answers 404 Status otherwise.
 */
class FakeApiServer {
    state: FakeCluster = { services: {} };
    readonly requests: Array<{ path: string; auth?: string }> = [];
    private server?: http.Server;
    url = "";

    async start(): Promise<void> {
        this.server = http.createServer((req, res) => {
            const url = new URL(req.url ?? "/", "http://x");
            this.requests.push({ path: url.pathname, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
            const send = (code: number, body: unknown): void => {
                res.writeHead(code, { "content-type": "application/json" });
                res.end(JSON.stringify(body));
            };
            const notFound = (): void =>
                send(404, {
                    kind: "Status",
                    apiVersion: "v1",
                    status: "Failure",
                    reason: "NotFound",
                    code: 404,
                    message: `${url.pathname} not found`,
                });
            if (this.state.forbidden?.includes(url.pathname)) {
                return send(403, {
                    kind: "Status",
                    apiVersion: "v1",
                    status: "Failure",
                    reason: "Forbidden",
                    code: 403,
                    message: `User "doctor" cannot get ${url.pathname}`,
                });
            }
            let m: RegExpMatchArray | null;
            if ((m = url.pathname.match(/^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)$/))) {
                return this.state.deployment && m[1] === "kube-system" && m[2] === "aws-load-balancer-controller"
                    ? send(200, {
                          apiVersion: "apps/v1",
                          kind: "Deployment",
                          metadata: { name: m[2], namespace: m[1] },
                          ...this.state.deployment,
                      })
                    : notFound();
            }
            if (url.pathname === "/apis/elbv2.k8s.aws/v1beta1/targetgroupbindings") {
                return this.state.bindings
                    ? send(200, {
                          apiVersion: "elbv2.k8s.aws/v1beta1",
                          kind: "TargetGroupBindingList",
                          metadata: {},
                          items: this.state.bindings,
                      })
                    : notFound();
            }
            if ((m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)$/))) {
                const svc = this.state.services[`${m[1]}/${m[2]}`];
                return svc
                    ? send(200, { apiVersion: "v1", kind: "Service", metadata: { name: m[2], namespace: m[1] }, ...svc })
                    : notFound();
            }
            return notFound();
        });
        await new Promise<void>(resolve => this.server?.listen(0, "127.0.0.1", () => resolve()));
        const address = this.server.address();
        this.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    }

    stop(): Promise<void> {
        return new Promise(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
    }
}

function kubeconfig(server: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), "doctor-kube-"));
    const file = path.join(dir, "config");
    writeFileSync(
        file,
        [
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            `- name: fake`,
            `  cluster: { server: "${server}", insecure-skip-tls-verify: true }`,
            `- name: nowhere`,
            `  cluster: { server: "http://127.0.0.1:9", insecure-skip-tls-verify: true }`,
            "users:",
            "- name: tester",
            "  user: { token: test-token }",
            "contexts:",
            "- name: blue",
            "  context: { cluster: fake, user: tester }",
            "- name: unreachable",
            "  context: { cluster: nowhere, user: tester }",
            "current-context: blue",
            "",
        ].join("\n"),
    );
    return file;
}

function binding(
    name: string,
    tgArn: string,
    service: string,
    port: number | string,
    roleArn: string | undefined,
    externalId: string | undefined,
): Record<string, unknown> {
    return {
        apiVersion: "elbv2.k8s.aws/v1beta1",
        kind: "TargetGroupBinding",
        metadata: { name, namespace: "shop", generation: 2 },
        spec: {
            targetGroupARN: tgArn,
            targetType: "ip",
            serviceRef: { name: service, port },
            ...(roleArn ? { iamRoleArnToAssume: roleArn } : {}),
            ...(externalId ? { assumeRoleExternalId: externalId } : {}),
        },
        status: { observedGeneration: 2 },
    };
}

describe("doctor Kubernetes checks against a local HTTP server standing in for the Kubernetes API server", function () {
    this.timeout(60_000);
    let moto: Moto;
    let outputs: NetworkOutputs;
    let outputsFile: string;
    const api = new FakeApiServer();
    let config: string;

    before(async () => {
        moto = await startMoto();
        await moto.reset();
        outputs = (await buildFleet(testClients(moto.endpoint))).outputs;
        const dir = mkdtempSync(path.join(tmpdir(), "doctor-k8s-"));
        outputsFile = path.join(dir, "outputs.json");
        writeFileSync(outputsFile, JSON.stringify(outputs));
        await api.start();
        config = kubeconfig(api.url);
    });

    after(() => api.stop());

    beforeEach(() => {
        const blue = outputs.clusters.blue;
        api.requests.length = 0;
        api.state = {
            deployment: {
                spec: { replicas: 2 },
                status: {
                    replicas: 2,
                    availableReplicas: 2,
                    conditions: [{ type: "Available", status: "True", reason: "MinimumReplicasAvailable" }],
                },
            },
            bindings: [
                binding("api", blue.targetGroups.api.arn, "api", 80, blue.registrarRoleArn, blue.externalId),
                binding("web", blue.targetGroups.web.arn, "web", "http", blue.registrarRoleArn, blue.externalId),
                binding("other-cluster", outputs.clusters.green.targetGroups.api.arn, "api", 80, undefined, undefined),
            ],
            services: {
                "shop/api": { spec: { ports: [{ name: "http", port: 80, targetPort: 8080 }] } },
                "shop/web": { spec: { ports: [{ name: "http", port: 80, targetPort: 3000 }] } },
            },
        };
    });

    async function k8sChecks(extra: string[] = [], file = outputsFile): Promise<{ code: number; report: Report; stderr: string }> {
        const run = await runDoctor(["--network-outputs", file, "--json", "--cluster", "blue", "--kubeconfig", config, ...extra], {
            env: motoEnv(moto.endpoint),
        });
        if (run.code === 2) {
            return {
                code: 2,
                report: { checks: [], summary: { pass: 0, warn: 0, fail: 0, error: 0 }, failedReads: [] },
                stderr: run.stderr,
            };
        }
        const report = JSON.parse(run.stdout) as Report;
        return { code: run.code, report: { ...report, checks: report.checks.filter(c => c.id.startsWith("k8s.")) }, stderr: run.stderr };
    }

    /** The binding checks of blue's two healthy bindings, in report order. */
    const HealthyBindings = ["api", "web"].flatMap(svc =>
        ["found", "service", "reconciled", "role"].map(c => `pass k8s.tgb.${c} blue/${svc} shop/${svc}`),
    );

    const line = (r: Report, id: string, part: string) => {
        const found = r.checks.filter(c => c.id === id && c.subject.includes(part));
        expect(found, `${id} ${part} in ${JSON.stringify(r.checks.map(c => `${c.id} ${c.subject} ${c.status}`))}`).to.have.length(1);
        return found[0];
    };

    it("passes on a healthy cluster, reading only the deployment, the bindings and their Services with the kubeconfig's token", async () => {
        const { code, report } = await k8sChecks();
        expect(report.checks.map(c => `${c.status} ${c.id} ${c.subject}`)).to.deep.equal([
            "pass k8s.controller blue kube-system/aws-load-balancer-controller",
            ...HealthyBindings,
        ]);
        expect(line(report, "k8s.tgb.service", "blue/web").message).to.equal("Service shop/web port http=80");
        expect(code).to.equal(0);
        expect([...new Set(api.requests.map(r => r.path))].sort()).to.deep.equal([
            "/api/v1/namespaces/shop/services/api",
            "/api/v1/namespaces/shop/services/web",
            "/apis/apps/v1/namespaces/kube-system/deployments/aws-load-balancer-controller",
            "/apis/elbv2.k8s.aws/v1beta1/targetgroupbindings",
        ]);
        expect(api.requests.every(r => r.auth === "Bearer test-token")).to.equal(true);
    });

    it("k8s.controller fails when the controller deployment is missing", async () => {
        delete api.state.deployment;
        const { code, report } = await k8sChecks();
        const c = line(report, "k8s.controller", "blue");
        expect(c.status).to.equal("fail");
        expect(c.message).to.equal("the AWS Load Balancer Controller deployment does not exist: no target is registered or deregistered");
        expect(c.hint).to.include("--controller-namespace");
        expect(code).to.equal(1);
    });

    it("k8s.controller fails when no replica is available", async () => {
        api.state.deployment = {
            spec: { replicas: 2 },
            status: {
                replicas: 2,
                availableReplicas: 0,
                conditions: [
                    {
                        type: "Available",
                        status: "False",
                        reason: "MinimumReplicasUnavailable",
                        message: "Deployment does not have minimum availability.",
                    },
                ],
            },
        };
        const { report } = await k8sChecks();
        const c = line(report, "k8s.controller", "blue");
        expect(c.status).to.equal("fail");
        expect(c.message).to.equal("not available (0/2 replicas): Deployment does not have minimum availability.");
    });

    it("k8s.tgb.found fails for a service without a TargetGroupBinding", async () => {
        api.state.bindings = api.state.bindings?.filter(b => (b.metadata as { name: string }).name !== "web");
        const { report } = await k8sChecks();
        const c = line(report, "k8s.tgb.found", "blue/web");
        expect(c.status).to.equal("fail");
        expect(c.message).to.equal("no TargetGroupBinding for target group blue-web: its targets are never registered");
        expect(report.checks.filter(x => x.status === "fail").map(x => x.id)).to.deep.equal(["k8s.tgb.found"]);
    });

    it("k8s.tgb.found fails for every service when the CRD is not installed", async () => {
        delete api.state.bindings;
        const { report } = await k8sChecks();
        expect(report.checks.filter(x => x.id === "k8s.tgb.found").map(x => `${x.status} ${x.message}`)).to.deep.equal([
            "fail the TargetGroupBinding CRD is not installed",
            "fail the TargetGroupBinding CRD is not installed",
        ]);
    });

    it("k8s.tgb.service fails when the Service or its port is missing", async () => {
        delete api.state.services["shop/api"];
        api.state.services["shop/web"] = { spec: { ports: [{ name: "grpc", port: 9000 }] } };
        const { report } = await k8sChecks();
        expect(line(report, "k8s.tgb.service", "blue/api").message).to.equal(
            "Service shop/api does not exist: the binding has nothing to register",
        );
        expect(line(report, "k8s.tgb.service", "blue/web").message).to.equal(`Service shop/web has no port "http" (ports: grpc=9000)`);
    });

    it("k8s.tgb.reconciled fails when the controller has not observed the binding's generation", async () => {
        const web = api.state.bindings?.find(b => (b.metadata as { name: string }).name === "web") as Record<string, unknown>;
        web.metadata = { ...(web.metadata as object), generation: 3 };
        const { report } = await k8sChecks();
        const c = line(report, "k8s.tgb.reconciled", "blue/web");
        expect(c.status).to.equal("fail");
        expect(c.message).to.equal("not reconciled by the controller (generation 3, observed 2)");
    });

    it("k8s.tgb.role fails when a cross-account binding does not assume the registrar role with the external ID", async () => {
        const api0 = api.state.bindings?.find(b => (b.metadata as { name: string }).name === "api") as { spec: Record<string, unknown> };
        delete api0.spec.iamRoleArnToAssume;
        api0.spec.assumeRoleExternalId = "stale";
        const { report } = await k8sChecks();
        const c = line(report, "k8s.tgb.role", "blue/api");
        expect(c.status).to.equal("fail");
        expect(c.message).to.equal(
            `cross-account binding: iamRoleArnToAssume is unset, expected ${outputs.clusters.blue.registrarRoleArn}; assumeRoleExternalId differs from the outputs' external ID: registration is refused`,
        );
    });

    /** The outputs with blue retiring (the network stack's first step of removing it). */
    function retiringOutputs(): string {
        const file = path.join(mkdtempSync(path.join(tmpdir(), "doctor-k8s-")), "outputs.json");
        writeFileSync(
            file,
            JSON.stringify({
                ...outputs,
                clusters: { ...outputs.clusters, blue: { ...outputs.clusters.blue, weight: 0, retiring: true } },
            }),
        );
        return file;
    }

    it("k8s.retiring warns about a retiring cluster whose TargetGroupBindings still exist, naming them and the order of the steps", async () => {
        const { code, report } = await k8sChecks([], retiringOutputs());
        expect(report.checks.map(c => `${c.status} ${c.id} ${c.subject}`)).to.deep.equal([
            "pass k8s.controller blue kube-system/aws-load-balancer-controller",
            "warn k8s.retiring blue",
            ...HealthyBindings,
        ]);
        const c = line(report, "k8s.retiring", "blue");
        expect(c.message).to.equal(
            "cluster blue is retiring but 2 TargetGroupBindings still point at its target groups (shop/api, shop/web): " +
                "removing clusters.blue from the network config now would delete the target groups and registrar role under them, and their finalizers would hang",
        );
        expect(c.hint).to.equal(
            "pulumi destroy -s cluster-blue (or delete the bindings while the controller still runs), run the doctor again, " +
                "then remove clusters.blue from the network config",
        );
        expect(code).to.equal(0);
    });

    it("k8s.retiring passes once a retiring cluster's bindings and controller are gone (another cluster's binding does not count)", async () => {
        delete api.state.deployment;
        api.state.bindings = api.state.bindings?.filter(b => (b.metadata as { name: string }).name === "other-cluster");
        const { code, report } = await k8sChecks([], retiringOutputs());
        expect(report.checks.map(c => `${c.status} ${c.id} ${c.subject}: ${c.message}`)).to.deep.equal([
            "pass k8s.controller blue kube-system/aws-load-balancer-controller: not installed: cluster blue is retiring and has no TargetGroupBinding left",
            "pass k8s.retiring blue: cluster blue is retiring and no TargetGroupBinding points at its target groups: clusters.blue can be removed from the network config",
        ]);
        expect(code).to.equal(0);
    });

    it("a retiring cluster whose controller is gone while one binding is left: the controller fails (the finalizer cannot run), k8s.retiring warns", async () => {
        delete api.state.deployment;
        api.state.bindings = api.state.bindings?.filter(b => (b.metadata as { name: string }).name !== "web");
        const { code, report } = await k8sChecks([], retiringOutputs());
        expect(report.checks.filter(c => c.status !== "pass").map(c => `${c.status} ${c.id} ${c.subject}`)).to.deep.equal([
            "fail k8s.controller blue kube-system/aws-load-balancer-controller",
            "warn k8s.retiring blue",
        ]);
        expect(line(report, "k8s.retiring", "blue").message).to.include(
            "1 TargetGroupBinding still points at its target groups (shop/api)",
        );
        expect(code).to.equal(1);
    });

    it("an unreachable API server: every Kubernetes check could not tell (error, exit 3), each naming the read, and none passes", async () => {
        const run = await runDoctor(
            ["--network-outputs", outputsFile, "--json", "--cluster", "blue", "--kubeconfig", config, "--context", "unreachable"],
            { env: motoEnv(moto.endpoint) },
        );
        expect(run.code).to.equal(3);
        const report = JSON.parse(run.stdout) as Report;
        const k8s = report.checks.filter(c => c.id.startsWith("k8s."));
        expect(k8s.map(c => `${c.status} ${c.id} ${c.subject}`)).to.deep.equal([
            "error k8s.controller blue kube-system/aws-load-balancer-controller",
            ...["api", "web"].flatMap(svc => ["found", "service", "reconciled", "role"].map(c => `error k8s.tgb.${c} blue/${svc}`)),
        ]);
        expect(line(report, "k8s.controller", "blue").message).to.match(/^could not check: get deployments\.apps failed: .*ECONNREFUSED/);
        expect(line(report, "k8s.tgb.found", "blue/api").message).to.match(
            /^could not check: list targetgroupbindings\.elbv2\.k8s\.aws failed: .*ECONNREFUSED/,
        );
        expect(line(report, "k8s.controller", "blue").hint).to.equal(
            "check that http://127.0.0.1:9 answers (--kubeconfig, --context) and that the credentials may get the controller deployment, " +
                "list targetgroupbindings.elbv2.k8s.aws in all namespaces and get services",
        );
        expect(report.failedReads.map(r => `${r.call} ${r.subject}`)).to.deep.equal([
            "get deployments.apps kube-system/aws-load-balancer-controller",
            "list targetgroupbindings.elbv2.k8s.aws all namespaces",
        ]);
        // The AWS side was read and checked as usual.
        expect(report.checks.filter(c => !c.id.startsWith("k8s.")).every(c => c.status === "pass")).to.equal(true);
    });

    it("a binding list RBAC denies: the binding checks could not tell (error, exit 3), the controller still passes", async () => {
        api.state.forbidden = ["/apis/elbv2.k8s.aws/v1beta1/targetgroupbindings"];
        const { code, report } = await k8sChecks();
        expect(report.checks.map(c => `${c.status} ${c.id} ${c.subject}`)).to.deep.equal([
            "pass k8s.controller blue kube-system/aws-load-balancer-controller",
            ...["api", "web"].flatMap(svc => ["found", "service", "reconciled", "role"].map(c => `error k8s.tgb.${c} blue/${svc}`)),
        ]);
        expect(line(report, "k8s.tgb.found", "blue/web").message).to.equal(
            `could not check: list targetgroupbindings.elbv2.k8s.aws failed: HTTP 403: User "doctor" cannot get /apis/elbv2.k8s.aws/v1beta1/targetgroupbindings`,
        );
        expect(code).to.equal(3);
    });

    it("one Service RBAC denies: only its k8s.tgb.service could not tell", async () => {
        api.state.forbidden = ["/api/v1/namespaces/shop/services/web"];
        const { code, report } = await k8sChecks();
        expect(report.checks.filter(c => c.status !== "pass").map(c => `${c.status} ${c.id} ${c.subject}: ${c.message}`)).to.deep.equal([
            `error k8s.tgb.service blue/web shop/web: could not check: get services failed: HTTP 403: User "doctor" cannot get /api/v1/namespaces/shop/services/web`,
        ]);
        expect(code).to.equal(3);
    });

    it("a retiring cluster without its controller whose binding list is denied: neither k8s.controller nor k8s.retiring passes", async () => {
        delete api.state.deployment;
        api.state.forbidden = ["/apis/elbv2.k8s.aws/v1beta1/targetgroupbindings"];
        const { code, report } = await k8sChecks([], retiringOutputs());
        expect(report.checks.filter(c => !c.id.startsWith("k8s.tgb.")).map(c => `${c.status} ${c.id}: ${c.message}`)).to.deep.equal([
            `error k8s.controller: could not check: list targetgroupbindings.elbv2.k8s.aws failed: HTTP 403: User "doctor" cannot get /apis/elbv2.k8s.aws/v1beta1/targetgroupbindings`,
            `error k8s.retiring: could not check: list targetgroupbindings.elbv2.k8s.aws failed: HTTP 403: User "doctor" cannot get /apis/elbv2.k8s.aws/v1beta1/targetgroupbindings`,
        ]);
        expect(report.checks.every(c => c.status === "error")).to.equal(true);
        expect(code).to.equal(3);
    });

    it("exits 2 for a context the kubeconfig does not have", async () => {
        const { code, stderr } = await k8sChecks(["--context", "purple"]);
        expect(code).to.equal(2);
        expect(stderr).to.equal(`shared-alb doctor: --context: got "purple"; the kubeconfig has "blue", "unreachable"\n`);
    });
});
