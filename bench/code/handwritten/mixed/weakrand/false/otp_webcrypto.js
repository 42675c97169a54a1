module.exports.sendLoginCode = async function sendLoginCode(user, sms) {
  const buf = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buf);
  const otp = 100000 + (buf[0] % 900000);
  await sms.send(user.phone, `Your code is ${otp}`);
  return otp;
};
