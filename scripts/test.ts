// `npm test`: every check, in order, against the real Postgres and Redis and
// Debian's Chromium. Exits non-zero when anything fails.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { consoleBuildIsStale } from "./lib/build-state";
import { awaitServices } from "./lib/services";
import { testEnv } from "../test/test-env";

const CHROMIUM = "/usr/bin/chromium";
const test = testEnv();
const env: NodeJS.ProcessEnv = { ...process.env, ...test, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1", NEXT_TELEMETRY_DISABLED: "1" };
const results: { step: string; ok: boolean; seconds: number }[] = [];
let passed = 0;
let failed = 0;
/** Failed tests, named again under the summary so that the tail of a CI log says what broke. */
const failures: string[] = [];
const firstLine = (messages: string[] | undefined) => (messages?.[0] ?? "").split("\n").find((l) => l.trim())?.trim().slice(0, 300) ?? "";

function step(name: string, cmd: string, args: string[], stepEnv: NodeJS.ProcessEnv = env): boolean {
  console.log(`\n━━ ${name}: ${cmd} ${args.join(" ")}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env: stepEnv });
  const ok = r.status === 0;
  results.push({ step: name, ok, seconds: Math.round((Date.now() - started) / 1000) });
  return ok;
}

function countVitest(file: string) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: { name: string; status: string; message?: string; assertionResults: { fullName: string; status: string; failureMessages?: string[] }[] }[];
  };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  for (const suite of report.testResults) {
    const where = suite.name.replace(`${process.cwd()}/`, "");
    for (const t of suite.assertionResults) {
      if (t.status === "failed") failures.push(`${where} › ${t.fullName}: ${firstLine(t.failureMessages)}`);
      else if (t.status === "passed" && t.failureMessages?.length) {
        failures.push(`${where} › ${t.fullName} (flaky: passed on retry): ${firstLine(t.failureMessages)}`);
      }
    }
    if (suite.status === "failed" && !suite.assertionResults.some((t) => t.status === "failed")) {
      failures.push(`${where}: ${firstLine([suite.message ?? "the file failed outside its tests"])}`);
    }
  }
}

type PlaywrightSuite = {
  title: string;
  file?: string;
  specs?: { title: string; tests: { status: string; results: { error?: { message?: string } }[] }[] }[];
  suites?: PlaywrightSuite[];
};

function countPlaywright(file: string) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number }; suites?: PlaywrightSuite[] };
  passed += report.stats.expected + report.stats.flaky;
  failed += report.stats.unexpected;
  const walk = (suite: PlaywrightSuite, trail: string[]) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        if (t.status !== "unexpected" && t.status !== "flaky") continue;
        const error = t.results.find((r) => r.error)?.error?.message;
        const label = t.status === "flaky" ? " (flaky: passed on retry)" : "";
        failures.push(`${[...trail, spec.title].join(" › ")}${label}: ${firstLine([error ?? ""])}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...trail, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, [suite.file ?? suite.title]);
}

if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() === 0) {
    step("chromium", "bash", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"]);
  } else {
    console.error(`modelgate: ${CHROMIUM} is missing; install Debian's chromium: sudo apt-get install -y chromium`);
    process.exit(1);
  }
}

// The syslog sink is tested against Debian's rsyslogd (started by the test itself, TLS via rsyslog-openssl).
const RSYSLOGD = "/usr/sbin/rsyslogd";
const rsyslogOssl = () => readdirSync("/usr/lib").some((d) => existsSync(`/usr/lib/${d}/rsyslog/lmnsd_ossl.so`));
if (!existsSync(RSYSLOGD) || !rsyslogOssl()) {
  if (process.getuid?.() === 0) {
    step("rsyslog", "bash", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rsyslog rsyslog-openssl"]);
  } else {
    console.error(`modelgate: ${RSYSLOGD} (with its OpenSSL driver) is missing; install Debian's rsyslog: sudo apt-get install -y rsyslog rsyslog-openssl`);
    process.exit(1);
  }
}

const problems = await awaitServices(test.MIGRATION_DATABASE_URL!, test.REDIS_URL!, 30);
if (problems.length) {
  for (const p of problems) console.error(`modelgate: ${p}`);
  process.exit(1);
}

rmSync("test-results", { recursive: true, force: true });
step("lint", "node_modules/.bin/eslint", ["--max-warnings=0", "."]);
step("typecheck", "node_modules/.bin/tsc", ["--noEmit"]);
step("unit", "node_modules/.bin/vitest", ["run", "--project", "unit", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/unit.json"]);
countVitest("test-results/unit.json");
step("integration", "node_modules/.bin/vitest", ["run", "--project", "integration", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/integration.json"]);
countVitest("test-results/integration.json");
const built = !consoleBuildIsStale() || step("build", "node_modules/.bin/next", ["build"], { ...process.env, NODE_ENV: "production" });
if (built) {
  step("e2e", "node_modules/.bin/playwright", ["test"], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: "test-results/e2e.json" });
  countPlaywright("test-results/e2e.json");
} else {
  results.push({ step: "e2e (skipped: build failed)", ok: false, seconds: 0 });
}

console.log("\n━━ summary");
for (const r of results) console.log(`  ${r.ok ? "ok  " : "FAIL"}  ${r.step} (${r.seconds}s)`);
const failedSteps = results.filter((r) => !r.ok).length;
if (failures.length) {
  console.log("\n━━ tests that failed (or passed only on retry)");
  for (const f of failures) console.log(`  ${f.replace(/\u001b\[[0-9;]*m/g, "")}`);
}
console.log(`\n${passed} passed, ${failed + (failedSteps && !failed ? failedSteps : 0)} failed`);
process.exit(failedSteps ? 1 : 0);
