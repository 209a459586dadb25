// `npm start` / `npm run dev`: migrate, seed the demo tenant once, build the
// console if needed, then run web + gateway + workers until Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { loadConfigOrExit } from "../lib/config/env";
import { migrate } from "../lib/db/migrate";
import { DEMO, seedDemo } from "../lib/tenants/seed-demo";
import { getDb } from "../lib/db/client";
import { consoleBuildIsStale } from "./lib/build-state";
import { checkServices } from "./lib/services";

const dev = process.argv.includes("--dev");
const config = loadConfigOrExit();
const say = (line: string) => console.log(`modelgate: ${line}`);

const problems = await checkServices(config.MIGRATION_DATABASE_URL, config.REDIS_URL);
if (problems.length) {
  for (const p of problems) console.error(`modelgate: ${p}`);
  process.exit(1);
}

const password = new URL(config.DATABASE_URL).password;
const migrated = await migrate(config.MIGRATION_DATABASE_URL, {
  appRolePassword: password ? decodeURIComponent(password) : undefined,
  retentionRolePassword: new URL(config.RETENTION_DATABASE_URL).password ? decodeURIComponent(new URL(config.RETENTION_DATABASE_URL).password) : undefined,
}).catch((err: Error) => {
  console.error(`modelgate: database migration failed: ${err.message}`);
  process.exit(1);
});
say(`database ${migrated.database} is migrated (${migrated.applied.length} new migrations)`);
if (config.NODE_ENV !== "production" && (await seedDemo())) say(`seeded demo tenant "${DEMO.tenantSlug}"`);
await getDb().$disconnect();

if (!dev && consoleBuildIsStale()) {
  say("building the console (next build)...");
  const built = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
  if (built.status !== 0) {
    console.error("modelgate: next build failed");
    process.exit(1);
  }
}

const tsx = dev ? ["tsx", "watch", "--clear-screen=false"] : ["tsx"];
const withEcho = config.NODE_ENV !== "production";
const processes: Record<string, string[]> = {
  web: ["next", dev ? "dev" : "start", "-p", String(config.WEB_PORT)],
  gateway: [...tsx, "gateway/main.ts"],
  workers: [...tsx, "workers/main.ts"],
  // The demo tenant's models (`echo`, `echo-kserve`) are served by it.
  ...(withEcho ? { echo: ["tsx", "scripts/echo-backend.ts"] } : {}),
};
const COLORS: Record<string, string> = { web: "36", gateway: "35", workers: "33", echo: "32" };

const children = new Map<string, ChildProcess>();
let stopping = false;

function prefixLines(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) {
  let buffered = "";
  stream.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) out.write(`\x1b[${COLORS[name]}m${name.padEnd(7)}|\x1b[0m ${line}\n`);
  });
}

/**
 * Each child runs in its own process group (detached), so the terminal's
 * Ctrl-C reaches only this supervisor, which then stops every group once —
 * including grandchildren such as next-server and tsx's node process.
 */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  say(`stopping ${Object.keys(processes).join(", ")}...`);
  for (const child of children.values()) signalGroup(child, "SIGTERM");
  const force = setTimeout(() => {
    for (const child of children.values()) signalGroup(child, "SIGKILL");
  }, 10_000);
  force.unref();
  process.exitCode = code;
}

for (const [name, args] of Object.entries(processes)) {
  const [bin, ...rest] = args;
  // Next sets NODE_ENV itself (production for `next start`); the secrets it
  // then requires are passed in the environment.
  const { NODE_ENV: _nodeEnv, ...configEnv } = stringEnv(config);
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...configEnv, ...(name === "web" ? {} : { NODE_ENV: config.NODE_ENV }) };
  if (name === "web") Reflect.deleteProperty(env, "NODE_ENV");
  const child = spawn(`node_modules/.bin/${bin}`, rest, {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.set(name, child);
  prefixLines(name, child.stdout!, process.stdout);
  prefixLines(name, child.stderr!, process.stderr);
  child.on("exit", (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`modelgate: ${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the others`);
      stopAll(1);
    }
    if (children.size === 0) {
      say("stopped");
      process.exit(process.exitCode ?? 0);
    }
  });
}

process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
process.on("SIGHUP", () => stopAll(0));
// If the supervisor dies anyway, take the children with it.
process.on("exit", () => {
  for (const child of children.values()) signalGroup(child, "SIGKILL");
});

const host = config.GATEWAY_HOST === "0.0.0.0" ? "localhost" : config.GATEWAY_HOST;
console.log(`
  ModelGate is starting (${dev ? "development, hot reload" : config.NODE_ENV})
    console   ${config.PUBLIC_URL}
    gateway   http://${host}:${config.GATEWAY_PORT}   (health: /healthz, /readyz)
    workers   BullMQ on ${redactUrl(config.REDIS_URL)}
${withEcho ? `    echo      http://127.0.0.1:${config.ECHO_BACKEND_PORT}   (dev model backend of the demo models "echo" and "echo-kserve")\n` : ""}${config.NODE_ENV === "production" ? "" : `    sign in   ${DEMO.email} / ${DEMO.password}   (tenant "${DEMO.tenantSlug}")\n`}  Ctrl-C stops them all.
`);

function stringEnv(c: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, String(v)]));
}

function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}
