module.exports.sendLoginCode = async function sendLoginCode(user, sms) {
  const otp = Math.floor(100000 + Math.random() * 900000);
  await sms.send(user.phone, `Your code is ${otp}`);
  return otp;
};
