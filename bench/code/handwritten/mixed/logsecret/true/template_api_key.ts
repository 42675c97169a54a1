const apiKey = process.env.PAYMENT_API_KEY ?? "";

export function initClient() {
  console.info(`payment client ready with key ${apiKey}`);
  return { apiKey };
}
