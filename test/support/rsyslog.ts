import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export const RSYSLOGD = "/usr/sbin/rsyslogd";

/** What rsyslog parsed out of one RFC 5424 message (its own property names in the template below). */
export type ParsedSyslog = {
  pri: string;
  version: string;
  timestamp: string;
  hostname: string;
  app: string;
  procid: string;
  msgid: string;
  sd: string;
  msg: string;
};

export type RsyslogServer = {
  port: number;
  /** Messages as received (framing removed by imtcp), one per line. */
  raw(): string[];
  /** The same messages as parsed by rsyslog's RFC 5424 parser. */
  parsed(): ParsedSyslog[];
  /** Waits until at least `n` messages were written. */
  /** Waits until `n` received messages match `filter` (every message by default) and returns those. */
  waitFor(n: number, timeoutMs?: number, filter?: (m: ParsedSyslog) => boolean): Promise<ParsedSyslog[]>;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rsyslogd exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`rsyslogd did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function lines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter(Boolean);
}

/** A self-signed certificate for 127.0.0.1 / localhost (openssl CLI), for the TLS listener. */
export function selfSignedCert(dir: string): { certFile: string; keyFile: string } {
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  const r = spawnSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", keyFile, "-out", certFile,
  ]);
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr?.toString()}`);
  return { certFile, keyFile };
}

/**
 * Debian's rsyslogd in the foreground with a configuration of its own (no
 * system config, no /dev/log, its own work directory and pid file): imtcp on a
 * free port (octet-counted framing is imtcp's default), and two omfile actions
 * writing each message raw and as rsyslog parsed it.
 */
export async function startRsyslog(opts: { tls?: { certFile: string; keyFile: string } } = {}): Promise<RsyslogServer> {
  if (!existsSync(RSYSLOGD)) throw new Error(`${RSYSLOGD} is missing: apt-get install -y rsyslog rsyslog-openssl`);
  const dir = mkdtempSync(path.join(tmpdir(), "mg-rsyslog-"));
  const tls = opts.tls;
  // TLS (RFC 5425) through rsyslog's OpenSSL network stream driver (package rsyslog-openssl).
  const tlsGlobal = tls
    ? ` DefaultNetstreamDriver="ossl" DefaultNetstreamDriverCAFile="${tls.certFile}" DefaultNetstreamDriverCertFile="${tls.certFile}" DefaultNetstreamDriverKeyFile="${tls.keyFile}"`
    : "";
  const tlsModule = tls ? ` StreamDriver.Name="ossl" StreamDriver.Mode="1" StreamDriver.AuthMode="anon"` : "";
  const port = await freePort();
  const rawFile = path.join(dir, "raw.log");
  const parsedFile = path.join(dir, "parsed.log");
  const conf = path.join(dir, "rsyslog.conf");
  writeFileSync(
    conf,
    `global(workDirectory="${dir}" maxMessageSize="64k"${tlsGlobal})
module(load="imtcp"${tlsModule})
template(name="raw" type="string" string="%rawmsg%\\n")
template(name="parsed" type="list" option.jsonf="on") {
  property(outname="pri" name="pri" format="jsonf")
  property(outname="version" name="protocol-version" format="jsonf")
  property(outname="timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="app" name="app-name" format="jsonf")
  property(outname="procid" name="procid" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="sd" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
}
ruleset(name="ship") {
  action(type="omfile" file="${rawFile}" template="raw" flushOnTXEnd="on" asyncWriting="off")
  action(type="omfile" file="${parsedFile}" template="parsed" flushOnTXEnd="on" asyncWriting="off")
}
input(type="imtcp" address="127.0.0.1" port="${port}" ruleset="ship")
`,
  );
  const child = spawn(RSYSLOGD, ["-n", "-f", conf, "-i", path.join(dir, "rsyslogd.pid")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  try {
    await waitForPort(port, child, 10_000);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${(err as Error).message}: ${stderr.slice(0, 500)}`);
  }
  const parsed = () => lines(parsedFile).map((l) => JSON.parse(l) as ParsedSyslog);
  return {
    port,
    raw: () => lines(rawFile),
    parsed,
    async waitFor(n, timeoutMs = 10_000, filter = () => true) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = parsed().filter(filter);
        if (got.length >= n) return got;
        if (Date.now() > deadline) throw new Error(`rsyslog received ${got.length} of ${n} messages`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
