import * as http from "http";
import * as net from "net";

/** An error the proxy answers instead of forwarding. */
export interface Fault {
    /** The API action (`DescribeRules`), or `*` for every call. */
    action: string;
    /** Only calls whose form parameters include these (e.g. `{ TargetGroupArn: arn }`). */
    params?: Record<string, string>;
    /** The HTTP status. @default 403 */
    status?: number;
    /** The AWS error code. @default `AccessDenied` (`UnauthorizedOperation` for EC2) */
    code?: string;
    /** The message. @default `User: arn:aws:iam::123456789012:user/doctor is not authorized to perform: <service>:<action>` */
    message?: string;
}

/** EC2's API version: its calls answer errors in EC2's own XML shape. */
const Ec2Version = "2016-11-15";
/** IAM prefix of each API version's service (ELBv2, EC2, IAM). */
const ServiceByVersion: Record<string, string> = { "2015-12-01": "elasticloadbalancing", [Ec2Version]: "ec2", "2010-05-08": "iam" };

/**
 * A stand-in AWS endpoint on 127.0.0.1 in front of moto_server: it forwards
 * every call of the AWS query protocol (ELBv2, EC2, IAM) unchanged, except
 * those a {@link Fault} matches, which it answers with that AWS error in the
 * service's XML error shape, as AWS does for a denied or throttled call.
 */
export class FaultProxy {
    faults: Fault[] = [];
    /** Every call seen, as `service:Action`, in order. */
    readonly calls: string[] = [];
    url = "";
    private server?: http.Server;

    constructor(private readonly target: string) {}

    async start(): Promise<void> {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => this.handle(req, Buffer.concat(chunks), res));
        });
        await new Promise<void>(resolve => this.server?.listen(0, "127.0.0.1", () => resolve()));
        const address = this.server.address() as net.AddressInfo;
        this.url = `http://127.0.0.1:${address.port}`;
    }

    stop(): Promise<void> {
        return new Promise(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    private handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
        const params = new URLSearchParams(body.toString());
        const action = params.get("Action") ?? "";
        const version = params.get("Version") ?? "";
        const service = ServiceByVersion[version] ?? "unknown";
        this.calls.push(`${service}:${action}`);
        const fault = this.faults.find(
            f => (f.action === "*" || f.action === action) && Object.entries(f.params ?? {}).every(([k, v]) => params.get(k) === v),
        );
        if (fault !== undefined) {
            const code = fault.code ?? (version === Ec2Version ? "UnauthorizedOperation" : "AccessDenied");
            const message =
                fault.message ?? `User: arn:aws:iam::123456789012:user/doctor is not authorized to perform: ${service}:${action}`;
            const xml =
                version === Ec2Version
                    ? `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>`
                    : `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`;
            res.writeHead(fault.status ?? 403, { "content-type": "text/xml" });
            res.end(xml);
            return;
        }
        const upstream = http.request(`${this.target}${req.url ?? "/"}`, { method: req.method, headers: req.headers }, up => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
        });
        upstream.on("error", err => {
            res.writeHead(502);
            res.end(String(err));
        });
        upstream.end(body);
    }
}

/** A loopback port nothing listens on (bound once, then closed). */
export function closedPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}
