import { ElasticsearchSink } from "./elasticsearch-sink";
import type { SinkConfig } from "./sink-config";
import type { Sink } from "./sink";
import { SplunkSink } from "./splunk-sink";
import { SyslogSink } from "./syslog-sink";

export function createSink(config: SinkConfig): Sink {
  switch (config.type) {
    case "syslog":
      return new SyslogSink(config);
    case "splunk":
      return new SplunkSink(config);
    case "elasticsearch":
      return new ElasticsearchSink(config);
  }
}
