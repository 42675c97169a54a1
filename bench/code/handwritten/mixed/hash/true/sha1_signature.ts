import { createHash } from "node:crypto";

export function fingerprintUpload(contents: Buffer): string {
  return createHash("sha1").update(contents).digest("hex");
}
