import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export async function cacheReport(html: string): Promise<string> {
  const target = path.join(os.tmpdir(), "latest-report.html");
  await fs.promises.writeFile(path.join(os.tmpdir(), "latest-report.html"), html);
  return target;
}
