import pino from "pino";

const log = pino();

export function onLogin(userId: string, sessionToken: string) {
  log.info({ userId, sessionToken }, "login ok");
}
