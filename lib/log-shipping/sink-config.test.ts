import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../config/env";
import { describeSink, parseSinkConfigs } from "./sink-config";

describe("LOG_SINKS", () => {
  it("unset or empty means no sinks", () => {
    expect(parseSinkConfigs(undefined)).toEqual([]);
    expect(parseSinkConfigs("  ")).toEqual([]);
  });

  it("parses the three kinds with their defaults", () => {
    const sinks = parseSinkConfigs(
      JSON.stringify([
        { name: "siem", type: "syslog", host: "logs.example.com", port: 6514, tls: true },
        { name: "splunk", type: "splunk", url: "https://splunk.example.com:8088/", token: "hec-token" },
        { name: "es", type: "elasticsearch", url: "https://es.example.com:9200", apiKey: "ZXM6a2V5" },
      ]),
    );
    expect(sinks[0]).toMatchObject({ facility: 13, appName: "modelgate", tls: true });
    expect(sinks[1]).toMatchObject({ url: "https://splunk.example.com:8088", source: "modelgate" });
    expect(sinks[2]).toMatchObject({ index: "modelgate" });
  });

  it("names the bad field and never echoes a value", () => {
    expect(() => parseSinkConfigs('[{"name":"x","type":"splunk","url":"ftp://h","token":"SECRET-TOKEN"}]')).toThrow(/^LOG_SINKS\[0\]\.url: /);
    try {
      parseSinkConfigs('[{"name":"x","type":"splunk","url":"https://h","token":"SECRET-TOKEN","extra":1}]');
    } catch (err) {
      expect((err as Error).message).not.toContain("SECRET-TOKEN");
    }
    expect(() => parseSinkConfigs("{not json")).toThrow(/not valid JSON/);
    expect(() =>
      parseSinkConfigs(JSON.stringify([{ name: "a", type: "syslog", host: "h", port: 1 }, { name: "a", type: "syslog", host: "h", port: 2 }])),
    ).toThrow(/unique/);
  });

  it("describes a sink without its credentials", () => {
    const [es] = parseSinkConfigs(JSON.stringify([{ name: "es", type: "elasticsearch", url: "https://user:pw@es.example.com:9200", apiKey: "k" }]));
    expect(describeSink(es!)).toEqual({ name: "es", type: "elasticsearch", target: "https://es.example.com:9200" });
  });

  it("a bad LOG_SINKS stops a process at start-up with one line that hides the value", () => {
    const env = {
      NODE_ENV: "production",
      SESSION_SECRET: "s".repeat(32),
      MASTER_KEY: Buffer.alloc(32, 1).toString("base64"),
      AUDIT_SIGNING_KEY: "AAAA",
      LOG_SINKS: '[{"name":"es","type":"elasticsearch","url":"https://es:9200","apiKey":"SECRET-API-KEY","index":"Bad Index"}]',
    };
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(/^LOG_SINKS is invalid: expected LOG_SINKS\[0\]\.index: a lower-case index name \(got \(hidden\)\)$/);
    expect(parseConfig({ ...env, LOG_SINKS: "" }).LOG_SINKS).toBeUndefined();
  });
});
