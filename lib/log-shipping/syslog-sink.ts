import net from "node:net";
import { hostname as osHostname } from "node:os";
import tls from "node:tls";
import type { ShipRecord } from "./ship-record";
import { readCa, type SyslogSinkConfig } from "./sink-config";
import { SINK_TIMEOUT_MS, SinkError, type SendResult, type Sink } from "./sink";
import { formatSyslogMessage, frameOctetCounted, type SyslogHeader } from "./syslog-format";

/**
 * Syslog over TCP (RFC 6587 octet counting), optionally TLS (RFC 5425) with a
 * CA of the operator's choice; the server certificate is always verified. A
 * batch counts as delivered once the socket flushed it to the kernel: plain
 * syslog has no application acknowledgment, so a connection that dies right
 * after a flush can lose what was in flight (use a relay with a disk queue, or
 * an HTTP sink, where that matters). A broken connection is reopened on the
 * next batch.
 */
export class SyslogSink implements Sink {
  readonly type = "syslog" as const;
  readonly name: string;
  private readonly header: SyslogHeader;
  private readonly ca: string | undefined;
  private socket: net.Socket | undefined;

  constructor(private readonly config: SyslogSinkConfig) {
    this.name = config.name;
    this.ca = config.tls ? readCa(config) : undefined;
    this.header = {
      facility: config.facility,
      hostname: config.hostname ?? osHostname(),
      appName: config.appName,
      procId: String(process.pid),
    };
  }

  private connect(): Promise<net.Socket> {
    const { host, port } = this.config;
    return new Promise((resolve, reject) => {
      const socket = this.config.tls
        ? tls.connect({ host, port, ca: this.ca, servername: this.config.serverName ?? (net.isIP(host) ? undefined : host) })
        : net.connect({ host, port });
      const timer = setTimeout(() => fail(new SinkError(`connecting to ${host}:${port} timed out`)), SINK_TIMEOUT_MS);
      const fail = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err instanceof SinkError ? err : new SinkError(`connecting to ${host}:${port}: ${err.message}`));
      };
      socket.once("error", fail);
      socket.once(this.config.tls ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        socket.off("error", fail);
        socket.setKeepAlive(true, 30_000);
        // Nothing is read from a syslog server; errors and close just retire the socket.
        socket.on("error", () => socket.destroy());
        socket.on("close", () => {
          if (this.socket === socket) this.socket = undefined;
        });
        socket.on("data", () => {});
        resolve(socket);
      });
    });
  }

  async send(records: ShipRecord[]): Promise<SendResult> {
    if (records.length === 0) return { acked: 0 };
    if (!this.socket || this.socket.destroyed || !this.socket.writable) this.socket = await this.connect();
    const socket = this.socket;
    const frames = Buffer.concat(records.map((r) => frameOctetCounted(formatSyslogMessage(r, this.header))));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SinkError("syslog write did not flush in time"));
      }, SINK_TIMEOUT_MS);
      socket.write(frames, (err) => {
        clearTimeout(timer);
        if (err) {
          socket.destroy();
          reject(new SinkError(`syslog write failed: ${err.message}`));
        } else resolve();
      });
    });
    return { acked: records.length };
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.end(() => resolve());
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 1_000).unref();
    });
  }
}
