import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { SharedAlb } from "../../components";
import { Run, run, runRefused } from "../harness";
import { exampleNetworkArgs } from "../fixtures/network";

const T = {
    component: "shared-alb:index:SharedAlb",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    waf: "aws:wafv2/webAclAssociation:WebAclAssociation",
} as const;

const WebAcl = "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/shop-edge/a1b2c3d4-5678-90ab-cdef-0123456789ab";

function build(args: Record<string, any>): Promise<Run> {
    return run(() => {
        const alb = new SharedAlb("edge", args as any);
        return { outputs: alb.outputs };
    });
}

/** The example fleet with its load balancer changed by `edit`. */
function withLoadBalancer(edit: (lb: Record<string, any>) => void): Record<string, any> {
    const args = exampleNetworkArgs();
    edit(args.loadBalancer);
    return args;
}

describe("SharedAlb edge options: access logs, desync mitigation, WAF web ACL, plain HTTP", function () {
    this.timeout(60_000);

    it("leaves them out by default: no access logs, AWS's desync mode, no web ACL association", async () => {
        const r = await build(exampleNetworkArgs());
        const lb = r.get(T.lb, "edge-alb").inputs;
        expect([lb.accessLogs, lb.desyncMitigationMode, "desyncMitigationMode" in lb]).to.deep.equal([undefined, undefined, false]);
        expect(r.ofType(T.waf)).to.deep.equal([]);
    });

    it("writes access logs, sets the desync mode and associates the web ACL with the created ALB", async () => {
        const r = await build(
            withLoadBalancer(lb => {
                lb.accessLogs = { bucket: "shop-edge-logs", prefix: "edge" };
                lb.desyncMitigationMode = "strictest";
                lb.webAclArn = WebAcl;
            }),
        );
        const lb = r.get(T.lb, "edge-alb");
        expect(lb.inputs.accessLogs).to.deep.equal({ bucket: "shop-edge-logs", prefix: "edge", enabled: true });
        expect(lb.inputs.desyncMitigationMode).to.equal("strictest");
        const waf = r.get(T.waf, "edge-waf");
        expect(waf.inputs).to.deep.equal({ resourceArn: lb.outputs.arn, webAclArn: WebAcl });
        expect(waf.parent).to.equal(r.get(T.component, "edge").urn);
    });

    it("keeps a disabled access log's bucket on the ALB with logging off", async () => {
        const r = await build(
            withLoadBalancer(lb => {
                lb.accessLogs = { bucket: "shop-edge-logs", enabled: false };
            }),
        );
        expect(r.get(T.lb, "edge-alb").inputs.accessLogs).to.deep.equal({ bucket: "shop-edge-logs", prefix: "", enabled: false });
    });

    it("takes a web ACL created in the same program (an Output)", async () => {
        const r = await build(
            withLoadBalancer(lb => {
                lb.webAclArn = pulumi.output(WebAcl);
            }),
        );
        expect(r.get(T.waf, "edge-waf").inputs.webAclArn).to.equal(WebAcl);
    });

    it("serves plain HTTP only when told to: the HTTP listener then carries the rules", async () => {
        const r = await build(
            withLoadBalancer(lb => {
                delete lb.certificateArns;
                lb.allowPlainHttp = true;
            }),
        );
        expect(r.ofType(T.listener).map(l => [l.name, l.inputs.port, l.inputs.protocol])).to.deep.equal([["edge-http", 80, "HTTP"]]);
    });

    it("refuses plain HTTP to the internet before registering anything, the component included", async () => {
        const { error: caught, run: r } = await runRefused(
            () =>
                new SharedAlb(
                    "edge",
                    withLoadBalancer(lb => {
                        delete lb.certificateArns;
                    }) as any,
                ),
        );
        expect(caught.message).to.equal(
            "loadBalancer.certificateArns: got nothing; an internet-facing ALB needs an HTTPS listener: give " +
                "loadBalancer.certificateArns (ACM certificates), or make it internal (loadBalancer.internal: true), or set loadBalancer.allowPlainHttp: true " +
                "to serve plain HTTP to the internet",
        );
        expect(r.inventory()).to.deep.equal([]);
    });
});
