import fs from "node:fs";
import path from "node:path";

const DATA_DIR = "/var/lib/reports";

export async function cacheReport(html: string): Promise<string> {
  const target = path.join(DATA_DIR, "latest-report.html");
  await fs.promises.writeFile(target, html);
  return target;
}
