const apiKey = process.env.PAYMENT_API_KEY ?? "";

export function initClient() {
  console.info(`payment client ready (key length ${apiKey.length})`);
  return { apiKey };
}
