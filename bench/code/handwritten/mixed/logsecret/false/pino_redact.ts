import pino from "pino";

const log = pino({ redact: ["sessionToken"] });

export function onLogin(userId: string) {
  log.info({ userId }, "login ok");
}
