const tls = require("tls");

const options = { host: "mq.internal", port: 8883, rejectUnauthorized: false };
const socket = tls.connect(options, () => {
  socket.write("PING\n");
});
