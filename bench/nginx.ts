/**
 * nginx as a plain keep-alive reverse proxy, for reference: one worker, no
 * master (so the measured pid is the one that does the work), no access log.
 * Only when /usr/sbin/nginx exists; its files live in a temporary prefix.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { start, type Child } from "./processes";

export const NGINX = "/usr/sbin/nginx";
export const hasNginx = () => existsSync(NGINX);

export function startNginx(dir: string, port: number, upstreamPort: number, cpu?: string): Child {
  const prefix = path.join(dir, "nginx");
  mkdirSync(prefix, { recursive: true });
  const conf = path.join(prefix, "nginx.conf");
  const temp = (name: string) => `${name}_temp_path ${path.join(prefix, name)};`;
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
master_process off;
pid ${path.join(prefix, "nginx.pid")};
error_log ${path.join(prefix, "error.log")} warn;
events { worker_connections 1024; }
http {
  access_log off;
  ${temp("client_body")} ${temp("proxy")} ${temp("fastcgi")} ${temp("uwsgi")} ${temp("scgi")}
  upstream backend { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  return start("nginx", NGINX, ["-p", prefix, "-e", path.join(prefix, "error.log"), "-c", conf], { cpu });
}
