import { spawn, type ChildProcess } from "node:child_process";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { Redis } from "ioredis";
import { loadLessons } from "../../lib/content/load";
import { withoutPython } from "./without-python";
import { ensureRedisServer, freePort, startRedisServer, type RedisHandle } from "../../lib/live/testing/redis-server";

/**
 * Students follow the instructor: live sessions over the real route handlers and SSE, in two
 * browser contexts (two devices). The last test runs two server processes sharing one
 * redis-server (Debian's package) and checks the fan-out between them.
 */
const lesson = loadLessons()[0];
const slug = lesson.slug;

async function startLive(page: Page): Promise<{ code: string; joinUrl: string }> {
  await withoutPython(page.context());
  await page.goto(`/en/${slug}/present`);
  await page.getByRole("button", { name: "Start a live session" }).click();
  const code = (await page.getByTestId("join-code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^[23456789A-HJKMNP-Z]{7}$/);
  await expect(page.getByTestId("join-qr")).toBeVisible();
  const joinUrl = (await page.getByTestId("join-url").getAttribute("href")) ?? "";
  expect(joinUrl).toContain(`join=${code}`);
  // What is projected to type: host/en/join (the QR code holds the whole link).
  await expect(page.getByTestId("join-url")).toHaveText(/^[\w.:-]+\/en\/join$/);
  return { code, joinUrl };
}

async function student(browser: Browser, url: string): Promise<Page> {
  // A separate context: another device, with no shared storage or BroadcastChannel.
  const context = await browser.newContext();
  await withoutPython(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

test.describe("live session", () => {
  test("a student on another device follows the instructor, wanders off and comes back", async ({ page, browser }) => {
    // Three pages next to the suite's other worker on 2 cores: CI once needed more than the
    // default 60 s and 10 s (when each page still booted Python; see withoutPython).
    test.setTimeout(150_000);
    const { code, joinUrl } = await startLive(page);
    const pupil = await student(browser, joinUrl);
    await expect(pupil.getByTestId("follow-banner")).toContainText(`Following the instructor (${code})`);
    const total = (await pupil.getByTestId("slide-counter").textContent())?.split("/")[1]?.trim();

    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect(pupil.getByTestId("slide-counter")).toHaveText(`3 / ${total}`);

    // Wandering off: the student's own keys move only their view.
    await pupil.keyboard.press("ArrowLeft");
    await expect(pupil.getByTestId("slide-counter")).toHaveText(`2 / ${total}`);
    await page.keyboard.press("ArrowRight");
    await expect(pupil.getByText("The instructor is on slide 4.")).toBeVisible({ timeout: 30_000 });
    await expect(pupil.getByTestId("slide-counter")).toHaveText(`2 / ${total}`);
    await pupil.getByRole("button", { name: "Back to the instructor" }).click();
    await expect(pupil.getByTestId("slide-counter")).toHaveText(`4 / ${total}`);
    await page.keyboard.press("ArrowLeft");
    await expect(pupil.getByTestId("slide-counter")).toHaveText(`3 / ${total}`);

    // A student who joins late, typing the code from the projector, lands on the instructor's slide.
    const late = await student(browser, "/en/join");
    await late.getByLabel("Join code").fill(code.toLowerCase());
    await late.getByRole("button", { name: "Join" }).click();
    await expect(late).toHaveURL(new RegExp(`/en/${slug}/present\\?join=${code}`));
    await expect(late.getByTestId("slide-counter")).toHaveText(`3 / ${total}`);

    // Ending the session tells the students.
    await page.keyboard.press("Home");
    await page.getByRole("button", { name: "End live session" }).click();
    await expect(pupil.getByTestId("follow-banner")).toContainText("The instructor ended the live session");
    await expect(late.getByTestId("follow-banner")).toContainText("The instructor ended the live session");
  });

  test("a student window in the instructor's own browser does not steer the instructor", async ({ page, context }) => {
    // Two pages in one browser over the same connections: a clean-clone CI run once needed
    // more than 10 s to connect (when both still booted Python; see withoutPython).
    test.setTimeout(150_000);
    const { code, joinUrl } = await startLive(page);
    const total = (await page.getByTestId("slide-counter").textContent())?.split("/")[1]?.trim();
    // Same browser, same BroadcastChannel origin: e.g. the instructor trying the join link.
    const pupil = await context.newPage();
    await pupil.goto(joinUrl);
    await expect(pupil.getByTestId("follow-banner")).toContainText(`Following the instructor (${code})`, { timeout: 30_000 });
    await page.bringToFront();
    await page.keyboard.press("ArrowRight");
    await expect(pupil.getByTestId("slide-counter")).toHaveText(`2 / ${total}`);
    await pupil.bringToFront();
    await pupil.keyboard.press("ArrowRight");
    await pupil.keyboard.press("ArrowRight");
    await expect(pupil.getByTestId("slide-counter")).toHaveText(`4 / ${total}`);
    await expect(page.getByTestId("slide-counter")).toHaveText(`2 / ${total}`);
  });

  test("a student with an unknown code is told so", async ({ browser }) => {
    const pupil = await student(browser, `/en/${slug}/present?join=ZZZZZZZ`);
    await expect(pupil.getByTestId("follow-banner")).toContainText("There is no live session with this code");
    await pupil.goto("/en/join");
    await pupil.getByLabel("Join code").fill("ZZZZZZZ");
    await pupil.getByRole("button", { name: "Join" }).click();
    const alert = pupil.locator("form").getByRole("alert");
    await expect(alert).toContainText("There is no live session with this code");
    await pupil.getByLabel("Join code").fill("nope");
    await pupil.getByRole("button", { name: "Join" }).click();
    await expect(alert).toContainText("7 letters and digits");
  });

  test("a forged drive message without the instructor's token is refused", async ({ page, request }) => {
    const { code } = await startLive(page);
    const drive = (headers: Record<string, string>) =>
      request.post(`/api/live/sessions/${code}/drive`, { data: { type: "slide", slide: 5 }, headers: { "content-type": "application/json", ...headers } });
    expect((await drive({})).status()).toBe(403);
    expect((await drive({ authorization: "Bearer not-the-token" })).status()).toBe(403);
    const state = await (await request.get(`/api/live/sessions/${code}`)).json();
    expect(state.state.slide).toBe(0);
    // Ending needs the token too.
    expect((await request.delete(`/api/live/sessions/${code}`)).status()).toBe(403);
    // Oversized and malformed bodies are refused before anything else.
    const token = await page.evaluate(() => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith("spawnpoint-live:"))![1]).token as string);
    const big = await request.post(`/api/live/sessions/${code}/drive`, {
      data: JSON.stringify({ type: "slide", slide: 1, pad: "x".repeat(10_000) }),
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    });
    expect(big.status()).toBe(413);
    expect((await drive({ authorization: `Bearer ${token}` })).status()).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------

interface NextServer {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startNext(port: number, env: Record<string, string>): Promise<NextServer> {
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/live/sessions/AAAAAAA`)).status === 404) break;
    } catch {
      // starting
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`next start on ${port} failed`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        // SIGTERM is a graceful stop (open streams are closed); a server that hangs is killed.
        const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

test.describe("live session through Redis", () => {
  const found = ensureRedisServer();
  test.skip(found.path === null, `redis-server unavailable: ${found.path === null ? found.reason : ""}`);
  test.describe.configure({ mode: "serial", timeout: 180_000 });

  let redis: RedisHandle;
  const servers: NextServer[] = [];
  test.beforeAll(async () => {
    redis = await startRedisServer(found.path as string);
    const env = { REDIS_URL: redis.url, SPAWNPOINT_LIVE_HEARTBEAT_MS: "2000" };
    servers.push(await startNext(await freePort(), env), await startNext(await freePort(), env));
  });
  test.afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await redis?.dispose();
  });

  test("instructor on server A, student on server B: the student follows, survives B restarting, and sees the end", async ({ browser }) => {
    const [a, b] = servers;
    const instructor = await (await browser.newContext({ baseURL: a.url })).newPage();
    const { code } = await startLive(instructor);
    const pupil = await student(browser, `${b.url}/en/${slug}/present?join=${code}`);
    await expect(pupil.getByTestId("follow-banner")).toContainText(`Following the instructor (${code})`);
    const total = (await pupil.getByTestId("slide-counter").textContent())?.split("/")[1]?.trim();

    await instructor.keyboard.press("ArrowRight");
    await instructor.keyboard.press("ArrowRight");
    await expect(pupil.getByTestId("slide-counter")).toHaveText(`3 / ${total}`);

    // Server B goes away: the student is told, and reconnects by itself when it is back.
    await b.stop();
    await expect(pupil.getByTestId("follow-banner")).toContainText("Cannot reach the server", { timeout: 20_000 });
    await instructor.keyboard.press("ArrowRight");
    servers[1] = await startNext(b.port, { REDIS_URL: redis.url, SPAWNPOINT_LIVE_HEARTBEAT_MS: "2000" });
    await expect(pupil.getByTestId("slide-counter")).toHaveText(`4 / ${total}`, { timeout: 40_000 });
    await expect(pupil.getByTestId("follow-banner")).toContainText("Following the instructor");

    // While the student is connected, server B is subscribed to the session's channel; a
    // student who leaves takes the subscription along (no leaked listeners).
    const redisClient = new Redis(redis.url);
    const subscribers = async () => ((await redisClient.pubsub("NUMSUB", `spawnpoint:live:c:${code}`)) as [string, number])[1];
    try {
      expect(await subscribers()).toBe(1);
      await pupil.close();
      await expect.poll(subscribers, { timeout: 10_000 }).toBe(0);
    } finally {
      redisClient.disconnect();
    }
    const again = await student(browser, `${b.url}/en/${slug}/present?join=${code}`);
    await expect(again.getByTestId("slide-counter")).toHaveText(`4 / ${total}`);

    await instructor.keyboard.press("Home");
    await instructor.getByRole("button", { name: "End live session" }).click();
    await expect(again.getByTestId("follow-banner")).toContainText("The instructor ended the live session");
  });
});
